/** Communities for members and admins: browse, a community's page, members, join/leave, leaders, the admin table. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdminCommunityItem,
  CommunityDetail,
  CommunityMemberPage,
  CommunitySummary,
  MemberListState,
} from '../../shared/communities';
import type { Privacy } from '../../shared/enums';
import { api } from '../api/client';

export type { AdminCommunityItem, CommunityDetail, CommunityMemberPage, CommunitySummary, MemberListState };

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function useCommunities(q: string) {
  return useInfiniteQuery({
    queryKey: ['communities', 'list', { q }],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CommunitySummary>>('/api/communities', { query: { q, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCommunity(id: number) {
  return useQuery({
    queryKey: ['communities', id],
    queryFn: ({ signal }) => api<CommunityDetail>(`/api/communities/${id}`, { signal }),
  });
}

export function useCommunityMembers(id: number, state: MemberListState, q: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['communities', id, 'members', { state, q }],
    queryFn: ({ pageParam, signal }) =>
      api<CommunityMemberPage>(`/api/communities/${id}/members`, { query: { state, q, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** join | leave | approve/decline a request | promote/demote a leader; refreshes the community everywhere. */
export function useMembershipAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      action: { kind: 'join' | 'leave' } | { kind: 'approve' | 'decline' | 'promote' | 'demote'; personId: number },
    ) => {
      switch (action.kind) {
        case 'join':
        case 'leave':
          return api<{ state: string }>(`/api/communities/${id}/${action.kind}`, { method: 'POST', body: {} });
        case 'approve':
        case 'decline':
          return api<{ state: string }>(`/api/communities/${id}/requests/${action.personId}/${action.kind}`, {
            method: 'POST',
            body: {},
          });
        case 'promote':
          return api<{ state?: string }>(`/api/communities/${id}/leaders/${action.personId}`, {
            method: 'POST',
            body: {},
          });
        case 'demote':
          return api<{ state?: string }>(`/api/communities/${id}/leaders/${action.personId}`, { method: 'DELETE' });
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['communities'] }),
  });
}

export function useAdminCommunities(q: string) {
  return useInfiniteQuery({
    queryKey: ['admin', 'communities', { q }],
    queryFn: ({ pageParam, signal }) =>
      api<Page<AdminCommunityItem>>('/api/admin/communities', { query: { q, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export interface CommunityFields {
  name: string;
  headline: string;
  description: string;
  privacy: Privacy;
  slug?: string;
}

/** Create (no id) or edit (id) a community. Admins use the admin path; leaders their community's. */
export function useSaveCommunity(id?: number, asAdmin = true) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields: CommunityFields) =>
      id === undefined
        ? api<AdminCommunityItem>('/api/admin/communities', { body: fields })
        : api<AdminCommunityItem>(asAdmin ? `/api/admin/communities/${id}` : `/api/communities/${id}`, {
            method: 'PATCH',
            body: fields,
          }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['admin', 'communities'] }),
        queryClient.invalidateQueries({ queryKey: ['communities'] }),
      ]),
  });
}

export const privacyWords: Record<Privacy, { label: string; color: string; help: string }> = {
  public: { label: 'Public', color: 'green', help: 'Any active member can join.' },
  private: {
    label: 'Private',
    color: 'orange',
    help: 'Visible to members; joining needs a leader’s or admin’s approval, or an invitation.',
  },
  invite_only: { label: 'Invite-only', color: 'grape', help: 'Seen only by its members, its invitees and admins.' },
};
