/**
 * The authorization matrix: for every route, what each kind of caller gets. Each feature keeps
 * its rows in `src/server/<feature>/<feature>.authz.ts` and its module (index.ts) loads them as
 * `authzRows`; the test (src/server/authz.matrix.test.ts) takes the rows from the modules,
 * enumerates the app's routes, and fails when a route has no row.
 */
import type { AppContext } from '../context.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { addMembership, buildCommunity, buildPerson, sessionCookie } from './factories.js';

export const callerKinds = [
  'anonymous',
  'pending',
  'preVerified',
  'inactive',
  'member',
  'leaderHere',
  'leaderElsewhere',
  'admin',
] as const;
export type CallerKind = (typeof callerKinds)[number];
export type Expectation = Record<CallerKind, number>;

export interface AuthzWorld {
  readonly ctx: AppContext;
  /** a private community: `member` is a member, `leaderHere` leads it */
  readonly here: CommunityRow;
  /** another community that `leaderElsewhere` leads */
  readonly elsewhere: CommunityRow;
  /** an invite-only community where only `admin` belongs (as site admin) */
  readonly hidden: CommunityRow;
  readonly people: Readonly<Record<Exclude<CallerKind, 'anonymous'>, PersonRow>>;
}

export interface AuthzRequest {
  readonly url: string;
  readonly body?: unknown;
}

export interface AuthzRow {
  /** `METHOD /path/:param` exactly as registered, e.g. `POST /api/admin/people/:id/approve` */
  readonly route: string;
  readonly expect: Expectation;
  /**
   * Builds the request for one caller, creating fresh objects where the request changes state, so
   * that every caller meets the same situation. Defaults to the route's path with no body.
   */
  readonly request?: (w: AuthzWorld, caller: CallerKind) => AuthzRequest | Promise<AuthzRequest>;
  /** why the expectation is what it is, when it is not obvious */
  readonly note?: string;
}

const signedOut = { anonymous: 401, pending: 401, preVerified: 401, inactive: 401 } as const;

/** Ready-made columns: `{ ...adminOnly }`, or `{ ...signedIn(200), leaderElsewhere: 403 }`. */
export const expectations = {
  /** anyone, signed in or not */
  open: (status = 200): Expectation => ({
    anonymous: status,
    pending: status,
    preVerified: status,
    inactive: status,
    member: status,
    leaderHere: status,
    leaderElsewhere: status,
    admin: status,
  }),
  /** any active person (pending, pre-verified and inactive people have no session) */
  signedIn: (status = 200): Expectation => ({
    ...signedOut,
    member: status,
    leaderHere: status,
    leaderElsewhere: status,
    admin: status,
  }),
  adminOnly: (status = 200): Expectation => ({
    ...signedOut,
    member: 403,
    leaderHere: 403,
    leaderElsewhere: 403,
    admin: status,
  }),
  /** site admins and the leaders of `here` */
  managersOfHere: (status = 200, others = 403): Expectation => ({
    ...signedOut,
    member: others,
    leaderHere: status,
    leaderElsewhere: others,
    admin: status,
  }),
} as const;

/** The people and communities every row runs against. */
export async function buildAuthzWorld(ctx: AppContext): Promise<AuthzWorld> {
  const here = await buildCommunity(ctx, { privacy: 'private' });
  const elsewhere = await buildCommunity(ctx, { privacy: 'public' });
  const hidden = await buildCommunity(ctx, { privacy: 'invite_only' });
  const people = {
    pending: await buildPerson(ctx, { status: 'pending' }),
    preVerified: await buildPerson(ctx, { status: 'pre_verified' }),
    inactive: await buildPerson(ctx, { status: 'inactive' }),
    member: await buildPerson(ctx),
    leaderHere: await buildPerson(ctx),
    leaderElsewhere: await buildPerson(ctx),
    admin: await buildPerson(ctx, { isAdmin: true }),
  };
  await addMembership(ctx, here.id, people.member.id, 'joined');
  await addMembership(ctx, here.id, people.leaderHere.id, 'joined', 'leader');
  await addMembership(ctx, elsewhere.id, people.leaderElsewhere.id, 'joined', 'leader');
  // Former members of `here` whose sessions no longer count.
  await addMembership(ctx, here.id, people.inactive.id, 'joined');
  return { ctx, here, elsewhere, hidden, people };
}

/** The Cookie header for a caller (none for anonymous). Sessions of non-active people resolve to nobody. */
export async function cookieFor(w: AuthzWorld, caller: CallerKind): Promise<string | undefined> {
  return caller === 'anonymous' ? undefined : sessionCookie(w.ctx, w.people[caller].id);
}
