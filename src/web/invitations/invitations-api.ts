/** The invitations API as the web app calls it, with TanStack Query keys and hooks. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { okSchema } from '../../shared/api';
import type { InvitationEmailStatus } from '../../shared/enums';
import type {
  InvitationStanding,
  InvitedMembersPage,
  InvitedSource,
  InviteQuota,
  InviteRequest,
  InviteResponse,
  personSuggestionsSchema,
  RecommendedCommunities,
  resendAnswerSchema,
} from '../../shared/invitations';
import type { joinAnswerSchema } from '../../shared/communities';
import type { extendedInvitationSchema } from '../../shared/invitation-expiry';
import { limits } from '../../shared/limits';
import type { ErrorBody } from '../../shared/errors';
import { api, ApiError } from '../api/client';

export const invitationKeys = {
  recommended: ['recommended-communities'] as const,
  hidden: ['recommended-communities', 'hidden'] as const,
  invited: (communityId: number) => ['communities', communityId, 'invited'] as const,
  search: (communityId: number, q: string) => ['people-search', communityId, q] as const,
  quota: (communityId: number) => ['communities', communityId, 'invite-quota'] as const,
};

/** The caller's invitation emails left today (refreshed after each invite, under the community's keys). */
export function useInviteQuota(communityId: number, enabled: boolean) {
  return useQuery({
    queryKey: invitationKeys.quota(communityId),
    queryFn: ({ signal }) => api<InviteQuota>(`/api/communities/${communityId}/invite-quota`, { signal }),
    enabled,
  });
}

export function useRecommendedCommunities() {
  return useQuery({
    queryKey: invitationKeys.recommended,
    queryFn: ({ signal }) => api<RecommendedCommunities>('/api/me/recommended-communities', { signal }),
  });
}

/** The invitations hidden by "Not now" (still open: Join or Show again). */
export function useHiddenInvitations() {
  return useQuery({
    queryKey: invitationKeys.hidden,
    queryFn: async ({ signal }) =>
      (await api<RecommendedCommunities>('/api/me/recommended-communities', { query: { hidden: 'true' }, signal }))
        .invitations,
  });
}

/** Typeahead suggestions; nothing is asked below the minimum length. */
export function usePeopleSearch(communityId: number, q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: invitationKeys.search(communityId, term.toLowerCase()),
    queryFn: async ({ signal }) =>
      (
        await api<z.output<typeof personSuggestionsSchema>>('/api/people/search', {
          query: { q: term, communityId },
          signal,
        })
      ).items,
    enabled: term.length >= limits.typeaheadMinChars,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

/** The Invited directory's filters: standing, email state, source (and the search). */
export interface InvitedFilters {
  readonly q: string;
  readonly state?: InvitationStanding;
  readonly email?: InvitationEmailStatus;
  readonly source?: InvitedSource;
}

/** The filters as the list's and the CSV export's query string. */
export function invitedQueryOf(filters: InvitedFilters): Record<string, string | undefined> {
  return { q: filters.q || undefined, state: filters.state, email: filters.email, source: filters.source };
}

/** The Invited directory, a page of 50 at a time along the server's keyset ("Load more"). */
export function useInvitedMembers(communityId: number, filters: InvitedFilters) {
  return useInfiniteQuery({
    queryKey: [...invitationKeys.invited(communityId), filters],
    queryFn: ({ pageParam, signal }) =>
      api<InvitedMembersPage>(`/api/communities/${communityId}/invitations`, {
        query: { ...invitedQueryOf(filters), cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** Undoes the caller's revoke of the last minute: the invitation is open again. */
export function useUndoRevoke(communityId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (personId: number) =>
      api<z.output<typeof okSchema>>(`/api/communities/${communityId}/invitations/${personId}/undo-revoke`, {
        method: 'POST',
        body: {},
      }),
    onSettled: () => client.invalidateQueries({ queryKey: invitationKeys.invited(communityId) }),
  });
}

/** A fresh Idempotency-Key (randomUUID needs a secure context; plain-HTTP sites get random bytes). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Invite; the key makes a retried click (or a flaky network) invite nobody twice. */
export function useInvite(communityId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: InviteRequest; idempotencyKey: string }) =>
      inviteWithKey(communityId, body, idempotencyKey),
    onSuccess: () => client.invalidateQueries({ queryKey: ['communities', communityId] }),
  });
}

async function inviteWithKey(
  communityId: number,
  body: InviteRequest,
  idempotencyKey: string,
): Promise<InviteResponse> {
  // The shared client sends no custom headers, so this one call uses fetch, answering errors the same way.
  let response: Response;
  try {
    response = await fetch(`/api/communities/${communityId}/invitations`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Convene could not be reached. Check your connection and try again.');
  }
  const payload = (await response.json().catch(() => undefined)) as InviteResponse | ErrorBody | undefined;
  if (response.ok && payload && 'results' in payload) return payload;
  const error = payload && 'error' in payload ? payload.error : undefined;
  if (error) throw new ApiError(response.status, error.code, error.message, error.details);
  throw new ApiError(
    response.status,
    'unexpected_response',
    `The server answered with an unexpected error (HTTP ${response.status}).`,
  );
}

export function useInvitationAction(communityId: number, action: 'revoke' | 'resend') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (personId: number) =>
      api<z.output<typeof okSchema> | z.output<typeof resendAnswerSchema>>(
        `/api/communities/${communityId}/invitations/${personId}/${action}`,
        { method: 'POST', body: {} },
      ),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: invitationKeys.invited(communityId) }),
        client.invalidateQueries({ queryKey: invitationKeys.quota(communityId) }),
      ]),
  });
}

/** What an invitee may answer from home: Join, Not now (hide), Decline, or Show again (restore a hidden one). */
export type InvitationAnswer = 'join' | 'dismiss' | 'decline' | 'restore';

/** Answers an invitation; refreshes home (shown and hidden invitations) and the communities. */
export function useAnswerInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ communityId, answer }: { communityId: number; answer: InvitationAnswer }) =>
      api<z.output<typeof joinAnswerSchema> | z.output<typeof okSchema>>(`/api/communities/${communityId}/${answer}`, {
        method: 'POST',
        body: {},
      }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: invitationKeys.recommended });
      await client.invalidateQueries({ queryKey: ['communities'] });
    },
  });
}

/** Extend an open invitation or open an expired one again, for the site's expiry (leaders and admins). */
export function useExtendInvitation(communityId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (personId: number) =>
      api<z.output<typeof extendedInvitationSchema>>(`/api/communities/${communityId}/invitations/${personId}/extend`, {
        method: 'POST',
        body: {},
      }),
    onSettled: () => client.invalidateQueries({ queryKey: invitationKeys.invited(communityId) }),
  });
}

/** Re-issue an ended invitation: invite the person again, with an email when they can get one. */
export function useReissueInvitation(communityId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (personId: number) =>
      inviteWithKey(communityId, { personIds: [personId], sendEmail: true }, newIdempotencyKey()),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: invitationKeys.invited(communityId) }),
        client.invalidateQueries({ queryKey: invitationKeys.quota(communityId) }),
      ]),
  });
}
