/** The admin Members API: tabs, search, a person's page and the actions on it. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AuditEvent, AuditPage } from '../../shared/audit';
import type {
  BulkApproveAnswer,
  inviteUrlAnswerSchema,
  MemberType,
  memberTypeListSchema,
  personAnswerSchema,
  PersonDetail,
  PersonListItem,
  PersonOrigin,
  PersonPage,
  PersonTab,
  preverifyAnswerSchema,
  preverifyInputSchema,
} from '../../shared/people';
import type { okSchema } from '../../shared/api';
import { api } from '../api/client';

type PersonAnswer = z.output<typeof personAnswerSchema>;

export type { BulkApproveAnswer, PersonDetail, PersonListItem, PersonOrigin, PersonPage, PersonTab };

export function usePeople(tab: PersonTab, q: string) {
  return useInfiniteQuery({
    queryKey: ['admin', 'people', { tab, q }],
    queryFn: ({ pageParam, signal }) =>
      api<PersonPage>('/api/admin/people', { query: { status: tab, q, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: number) {
  return useQuery({
    queryKey: ['admin', 'people', id],
    queryFn: ({ signal }) => api<PersonDetail>(`/api/admin/people/${id}`, { signal }),
  });
}

export type PersonAction =
  | { kind: 'approve'; uniqueId?: string }
  | { kind: 'reject' | 'deactivate' | 'reactivate' }
  | { kind: 'admin'; isAdmin: boolean };

/** One status action; refreshes every Members list and the person's page. */
export function usePersonAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: PersonAction) => {
      const url = `/api/admin/people/${id}/${action.kind}`;
      if (action.kind === 'approve')
        return api<PersonAnswer>(url, { body: { uniqueId: action.uniqueId || undefined } });
      if (action.kind === 'admin') return api<PersonAnswer>(url, { body: { isAdmin: action.isAdmin } });
      // reject answers { ok: true }: the person is gone
      return api<PersonAnswer | z.output<typeof okSchema>>(url, { method: 'POST', body: {} });
    },
    // A rejected person, or one merged into another record, no longer exists: their page is left
    // (by the caller) rather than refetched into a 404.
    onSuccess: (res, action) => {
      const gone = action.kind === 'reject' || ('person' in res && res.person.id !== id);
      return queryClient.invalidateQueries({
        queryKey: ['admin', 'people'],
        predicate: (q) => !(gone && q.queryKey[2] === id),
      });
    },
  });
}

export function useRegenerateInviteUrl(id: number) {
  return useMutation({
    mutationFn: () =>
      api<z.output<typeof inviteUrlAnswerSchema>>(`/api/admin/people/${id}/invite-url`, { method: 'POST', body: {} }),
  });
}

export type AddPersonInput = z.input<typeof preverifyInputSchema>;

export function useAddPerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AddPersonInput) =>
      api<z.output<typeof preverifyAnswerSchema>>('/api/admin/people', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'people'] }),
  });
}

export function useMemberTypes() {
  return useQuery({
    queryKey: ['admin', 'member-types'],
    queryFn: ({ signal }) => api<z.output<typeof memberTypeListSchema>>('/api/admin/member-types', { signal }),
    staleTime: 60_000,
  });
}

export const statusWords: Record<PersonListItem['status'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  pending: { label: 'Pending', color: 'yellow' },
  invited: { label: 'Invited', color: 'blue' },
  pre_verified: { label: 'Pre-verified', color: 'grape' },
  inactive: { label: 'Inactive', color: 'gray' },
};

export function useAddMemberType() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<MemberType>('/api/admin/member-types', { body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'member-types'] }),
  });
}

export type AuditEventItem = AuditEvent;

/** The audit log entries about one person, newest first. */
export function usePersonAudit(id: number) {
  return useQuery({
    queryKey: ['admin', 'people', id, 'audit'],
    queryFn: ({ signal }) =>
      api<AuditPage>('/api/admin/audit', {
        query: { targetType: 'person', targetId: String(id) },
        signal,
      }),
  });
}

/** POST /api/admin/people/approve {ids}: approves the pending people named; each gets its own result. */
export function useBulkApprove() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => api<BulkApproveAnswer>('/api/admin/people/approve', { body: { ids } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'people'] }),
  });
}

/** Where a pending person came from, in words: "Landing page: Chess Club". */
export function originWords(origin: PersonOrigin): string {
  switch (origin.kind) {
    case 'landing':
      return `Landing page: ${origin.communityName ?? 'a community'}`;
    case 'invite':
      return `Invited to ${origin.communityName ?? 'a community'}${origin.invitedBy ? ` by ${origin.invitedBy}` : ''}`;
    case 'data_job':
      return `Data job${origin.dataJobId ? ` #${origin.dataJobId}` : ''}: ${origin.communityName ?? 'a community'}`;
    case 'sign_up':
      return 'Signed up on the site';
  }
}
