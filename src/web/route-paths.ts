/**
 * The web app's route table as data: every path and who it is for. `App.tsx` gives each path its
 * screen (a path without one does not type-check), and the accessibility check in
 * `e2e/a11y.e2e.ts` visits each path (a path without a check entry fails that run). To add a
 * screen, add its path here and its screen in `App.tsx`.
 */

/** Pages anyone may open, signed in or not. */
export const publicPaths = [
  '/sign-in',
  '/auth/link/:token',
  '/join/:slug',
  '/invite/:token',
  '/unsubscribe/:token',
  '/notifications/unsubscribe/:token',
  '/sso/error',
] as const;

/** Pages for signed-in people, inside the app layout (navigation, name, sign out). */
export const memberPaths = ['/', '/communities', '/communities/:id', '/communities/:id/landing', '/profile'] as const;

/** Pages for site admins only (others see "admins only"), inside the app layout. */
export const adminPaths = [
  '/admin',
  '/admin/members',
  '/admin/members/:id',
  '/admin/communities',
  '/admin/data-tools',
  '/admin/data-tools/new',
  '/admin/data-tools/:id',
  '/admin/emails',
  '/admin/settings',
  '/admin/tokens',
  '/admin/sso',
  '/admin/webhooks',
  '/admin/feeds',
  '/admin/feeds/:id',
] as const;

/** Any other address: the "page not found" screen. */
export const notFoundPath = '*';

export type PublicPath = (typeof publicPaths)[number];
export type MemberPath = (typeof memberPaths)[number];
export type AdminPath = (typeof adminPaths)[number];
export type RoutePath = PublicPath | MemberPath | AdminPath | typeof notFoundPath;

/** Every path of the route table, in the order the router tries them. */
export const allPaths: readonly RoutePath[] = [...publicPaths, ...memberPaths, ...adminPaths, notFoundPath];
