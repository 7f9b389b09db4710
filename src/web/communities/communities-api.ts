/** Communities for members and admins: browse, a community's page, members, join/leave, leaders, the admin table. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AdminCommunityItem,
  adminCommunityPageSchema,
  CommunityDetail,
  CommunityMemberPage,
  communityPageSchema,
  CommunitySettings,
  CommunitySummary,
  joinAnswerSchema,
  leaderAnswerSchema,
  leaveAnswerSchema,
  MemberListState,
  requestAnswerSchema,
} from '../../shared/communities';
import type { Privacy } from '../../shared/enums';
import { api } from '../api/client';

export type { AdminCommunityItem, CommunityDetail, CommunityMemberPage, CommunitySummary, MemberListState };

type MembershipActionAnswer =
  | z.output<typeof joinAnswerSchema>
  | z.output<typeof leaveAnswerSchema>
  | z.output<typeof requestAnswerSchema>
  | z.output<typeof leaderAnswerSchema>;

export function useCommunities(q: string) {
  return useInfiniteQuery({
    queryKey: ['communities', 'list', { q }],
    queryFn: ({ pageParam, signal }) =>
      api<z.output<typeof communityPageSchema>>('/api/communities', { query: { q, cursor: pageParam }, signal }),
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
    ): Promise<MembershipActionAnswer> => {
      switch (action.kind) {
        case 'join':
          return api<z.output<typeof joinAnswerSchema>>(`/api/communities/${id}/join`, { method: 'POST', body: {} });
        case 'leave':
          return api<z.output<typeof leaveAnswerSchema>>(`/api/communities/${id}/leave`, { method: 'POST', body: {} });
        case 'approve':
        case 'decline':
          return api<z.output<typeof requestAnswerSchema>>(
            `/api/communities/${id}/requests/${action.personId}/${action.kind}`,
            {
              method: 'POST',
              body: {},
            },
          );
        case 'promote':
          return api<z.output<typeof leaderAnswerSchema>>(`/api/communities/${id}/leaders/${action.personId}`, {
            method: 'POST',
            body: {},
          });
        case 'demote':
          return api<z.output<typeof leaderAnswerSchema>>(`/api/communities/${id}/leaders/${action.personId}`, {
            method: 'DELETE',
          });
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['communities'] }),
  });
}

export function useAdminCommunities(q: string) {
  return useInfiniteQuery({
    queryKey: ['admin', 'communities', { q }],
    queryFn: ({ pageParam, signal }) =>
      api<z.output<typeof adminCommunityPageSchema>>('/api/admin/communities', {
        query: { q, cursor: pageParam },
        signal,
      }),
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
        ? api<CommunitySettings>('/api/admin/communities', { body: fields })
        : api<CommunitySettings>(asAdmin ? `/api/admin/communities/${id}` : `/api/communities/${id}`, {
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
