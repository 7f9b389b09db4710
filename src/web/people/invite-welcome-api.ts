/** The personal welcome page's data: GET /api/invite/:token (public; grants nothing). */
import { useQuery } from '@tanstack/react-query';
import type { InviteWelcome } from '../../shared/people';
import { api } from '../api/client';

export type { InviteWelcome };

export function useInviteWelcome(token: string) {
  return useQuery({
    queryKey: ['invite', token],
    queryFn: ({ signal }) => api<InviteWelcome>(`/api/invite/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}
