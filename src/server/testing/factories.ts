/** Factories that write real rows. Each call makes unique values so tests can share a database. */
import type { ApiTokenScope, PersonStatus, Privacy, MembershipRole, MembershipState } from '../../shared/enums.js';
import { createApiToken } from '../auth/api-token.service.js';
import { sessionCookieName } from '../auth/cookies.js';
import { createSession } from '../auth/session.service.js';
import type { AppContext } from '../context.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { insertMemberships } from '../memberships/index.js';

let seq = 0;
const next = () => `${process.pid}${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface PersonInput {
  email?: string | null;
  firstName?: string;
  lastName?: string;
  status?: PersonStatus;
  isAdmin?: boolean;
  uniqueId?: string | null;
  preverificationId?: number | null;
  memberTypeId?: number | null;
}

export async function buildPerson(ctx: AppContext, input: PersonInput = {}): Promise<PersonRow> {
  const n = next();
  const first = input.firstName ?? 'Test';
  const last = input.lastName ?? `Person${n}`;
  const now = ctx.clock.now();
  const status = input.status ?? 'active';
  return ctx.db
    .insertInto('person')
    .values({
      email: input.email === undefined ? `person-${n}@example.test` : (input.email?.toLowerCase() ?? null),
      first_name: first,
      last_name: last,
      name_key: `${first} ${last}`.toLowerCase(),
      last_name_key: last.toLowerCase(),
      status,
      is_admin: input.isAdmin ? 1 : 0,
      unique_id: input.uniqueId === undefined ? null : input.uniqueId,
      preverification_id: input.preverificationId ?? null,
      member_type_id: input.memberTypeId ?? null,
      invite_token_hash: null,
      created_at: now,
      updated_at: now,
      activated_at: status === 'active' ? now : null,
      last_sign_in_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildAdmin(ctx: AppContext, input: PersonInput = {}): Promise<PersonRow> {
  return buildPerson(ctx, { ...input, isAdmin: true, status: 'active' });
}

export interface CommunityInput {
  name?: string;
  slug?: string;
  privacy?: Privacy;
  headline?: string;
  description?: string;
  landingEnabled?: boolean;
}

export async function buildCommunity(ctx: AppContext, input: CommunityInput = {}): Promise<CommunityRow> {
  const n = next();
  const now = ctx.clock.now();
  const name = input.name ?? `Community ${n}`;
  return ctx.db
    .insertInto('community')
    .values({
      name,
      slug: input.slug ?? `community-${n}`,
      headline: input.headline ?? `Headline of ${name}`,
      description: input.description ?? '',
      privacy: input.privacy ?? 'public',
      landing_enabled: input.landingEnabled ? 1 : 0,
      landing_policy: 'anyone',
      landing_domains: '',
      landing_headline: null,
      landing_welcome: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addMembership(
  ctx: AppContext,
  communityId: number,
  personId: number,
  state: MembershipState = 'joined',
  role: MembershipRole = 'member',
  invitedBy: number | null = null,
): Promise<void> {
  const now = ctx.clock.now();
  await insertMemberships(ctx.db, [
    {
      community_id: communityId,
      person_id: personId,
      state,
      role,
      source: state === 'invited' ? 'direct' : 'admin',
      invited_by: invitedBy,
      invited_at: state === 'invited' ? now : null,
      data_job_id: null,
      message: null,
      email_status: state === 'invited' ? 'not_sent' : null,
      email_outbox_id: null,
      emailed_at: null,
      joined_at: state === 'joined' ? now : null,
      created_at: now,
      updated_at: now,
    },
  ]);
}

/** A Cookie header value for a fresh session of this (active) person. */
export async function sessionCookie(ctx: AppContext, personId: number): Promise<string> {
  const { token } = await createSession(ctx, ctx.db, personId);
  return `${sessionCookieName(ctx.config)}=${token}`;
}

/** An API token for an active admin (`full` unless scopes say otherwise); returns the `cvn_…` token. */
export async function apiToken(
  ctx: AppContext,
  personId: number,
  options: { scopes?: ApiTokenScope[]; expiresAt?: number | null; name?: string } = {},
): Promise<string> {
  const created = await createApiToken(ctx, personId, {
    name: options.name ?? 'script',
    scopes: options.scopes ?? ['full'],
    expiresAt: options.expiresAt ?? null,
  });
  return created.token;
}
