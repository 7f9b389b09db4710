/** Small helpers for the invitations tests: a community with a leader, and calls as that leader. */
import type { FastifyInstance } from 'fastify';
import type { InviteResponse, InviteResult } from '../../shared/invitations.js';
import type { AppContext } from '../context.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import {
  addMembership,
  buildCommunity,
  buildPerson,
  type CommunityInput,
  sessionCookie,
} from '../testing/factories.js';
import { findMembership } from '../memberships/index.js';

export interface LedCommunity {
  readonly community: CommunityRow;
  readonly leader: PersonRow;
  readonly cookie: string;
}

export async function ledCommunity(ctx: AppContext, input: CommunityInput = {}): Promise<LedCommunity> {
  const community = await buildCommunity(ctx, input);
  const leader = await buildPerson(ctx, { firstName: 'Lena', lastName: 'Leader' });
  await addMembership(ctx, community.id, leader.id, 'joined', 'leader');
  return { community, leader, cookie: await sessionCookie(ctx, leader.id) };
}

export interface InviteCall {
  personIds?: number[];
  emails?: string;
  message?: string;
  sendEmail?: boolean;
  expiresInDays?: number | null;
  reminders?: boolean;
}

export async function invite(
  app: FastifyInstance,
  cookie: string,
  communityId: number,
  body: InviteCall,
  headers: Record<string, string> = {},
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/communities/${communityId}/invitations`,
    headers: { cookie, ...headers },
    payload: { sendEmail: true, ...body },
  });
  return {
    status: response.statusCode,
    body: response.json() as InviteResponse & { error?: { code: string; message: string } },
  };
}

export function resultFor(response: InviteResponse, email: string): InviteResult {
  const found = response.results.find((r) => r.email === email);
  if (!found) throw new Error(`no result for ${email}: ${JSON.stringify(response.results)}`);
  return found;
}

export async function membershipOf(ctx: AppContext, communityId: number, personId: number) {
  return findMembership(ctx.db, communityId, personId);
}

export async function outboxTo(ctx: AppContext, email: string) {
  return ctx.db
    .selectFrom('email_outbox')
    .selectAll()
    .where('to_address', '=', email)
    .where('template', '=', 'community_invitation')
    .execute();
}

let n = 0;
/** A fresh address nobody has used in this database. */
export const freshEmail = (tag = 'new') => `${tag}-${process.pid}-${Date.now().toString(36)}-${n++}@example.org`;
