/**
 * The app: providers and the route table. To add a screen, add its path to the list it belongs to
 * in `route-paths.ts` (public, signed-in member, or site admin) and its screen here; the guards
 * and the layout come with the list.
 *
 * Every screen is loaded on first visit (`lazy: screen(() => import('./x/FooPage'), 'FooPage')`), so
 * a phone opening /join/:slug downloads the landing page and the shared core, never the admin screens.
 */
import { Center, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, useState } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { createQueryClient } from './query-client';
import {
  adminPaths,
  type AdminPath,
  memberPaths,
  type MemberPath,
  notFoundPath,
  publicPaths,
  type PublicPath,
} from './route-paths';
import { NavigationProgress } from './shell/NavigationProgress';
import { RequireAdmin } from './shell/RequireAdmin';
import { RequireSignIn } from './shell/RequireSignIn';
import { RouteErrorPage } from './shell/RouteErrorPage';
import { theme } from './theme';
import { LoadingState } from './ui/LoadingState';

/** A route's `lazy`: loads the module on first visit and shows its export `name`. */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

type Lazy = RouteObject['lazy'];

/** Each path's screen; the paths and who may open them are in `route-paths.ts`. */
const publicScreens: Record<PublicPath, Lazy> = {
  '/sign-in': screen(() => import('./auth/SignInPage'), 'SignInPage'),
  '/auth/link/:token': screen(() => import('./auth/SignInLinkPage'), 'SignInLinkPage'),
  '/join/:slug': screen(() => import('./landing/LandingPage'), 'LandingPage'),
  '/invite/:token': screen(() => import('./people/InviteWelcomePage'), 'InviteWelcomePage'),
  '/unsubscribe/:token': screen(() => import('./email/UnsubscribePage'), 'UnsubscribePage'),
  '/notifications/unsubscribe/:token': screen(
    () => import('./profile/NotificationUnsubscribePage'),
    'NotificationUnsubscribePage',
  ),
  '/sso/error': screen(() => import('./sso/SsoErrorPage'), 'SsoErrorPage'),
};

const memberScreens: Record<MemberPath, Lazy> = {
  '/': screen(() => import('./home/HomePage'), 'HomePage'),
  '/communities': screen(() => import('./communities/CommunitiesPage'), 'CommunitiesPage'),
  '/communities/:id': screen(() => import('./communities/CommunityPage'), 'CommunityPage'),
  '/communities/:id/landing': screen(() => import('./landing/LandingSettingsPage'), 'LandingSettingsPage'),
  '/profile': screen(() => import('./profile/ProfilePage'), 'ProfilePage'),
};

const adminScreens: Record<AdminPath, Lazy> = {
  '/admin': screen(() => import('./dashboard/AdminDashboardPage'), 'AdminDashboardPage'),
  '/admin/members': screen(() => import('./admin/MembersPage'), 'MembersPage'),
  '/admin/members/:id': screen(() => import('./admin/PersonPage'), 'PersonPage'),
  '/admin/communities': screen(() => import('./admin/AdminCommunitiesPage'), 'AdminCommunitiesPage'),
  '/admin/data-tools': screen(() => import('./data-tools/DataJobsPage'), 'DataJobsPage'),
  '/admin/data-tools/new': screen(() => import('./data-tools/NewDataJobPage'), 'NewDataJobPage'),
  '/admin/data-tools/:id': screen(() => import('./data-tools/DataJobPage'), 'DataJobPage'),
  '/admin/emails': screen(() => import('./email/EmailLogPage'), 'EmailLogPage'),
  '/admin/settings': screen(() => import('./site/SiteSettingsPage'), 'SiteSettingsPage'),
  '/admin/tokens': screen(() => import('./tokens/TokensPage'), 'TokensPage'),
  '/admin/sso': screen(() => import('./sso/AdminSsoPage'), 'AdminSsoPage'),
  '/admin/webhooks': screen(() => import('./webhooks/WebhooksPage'), 'WebhooksPage'),
  '/admin/feeds': screen(() => import('./feeds/FeedsPage'), 'FeedsPage'),
  '/admin/feeds/:id': screen(() => import('./feeds/FeedPage'), 'FeedPage'),
};

function routesOf<P extends string>(paths: readonly P[], screens: Record<P, Lazy>): RouteObject[] {
  return paths.map((path) => ({ path, lazy: screens[path] }));
}

export const routes: RouteObject[] = [
  {
    element: <NavigationProgress />,
    errorElement: <RouteErrorPage />,
    // shown while the first screen's code loads
    hydrateFallbackElement: (
      <Center mih="100vh">
        <LoadingState label="Loading Convene…" />
      </Center>
    ),
    children: [
      ...routesOf(publicPaths, publicScreens),
      {
        element: <RequireSignIn />,
        children: [
          {
            lazy: screen(() => import('./shell/AppLayout'), 'AppLayout'),
            children: [
              ...routesOf(memberPaths, memberScreens),
              { element: <RequireAdmin />, children: routesOf(adminPaths, adminScreens) },
            ],
          },
        ],
      },
      { path: notFoundPath, lazy: screen(() => import('./shell/NotFoundPage'), 'NotFoundPage') },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
