/** The personal welcome page's data: GET /api/invite/:token (public; grants nothing). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export interface InviteWelcome {
  firstName: string;
  lastName: string;
  email: string | null;
  siteName: string;
  status: 'pre_verified' | 'active';
}

export function useInviteWelcome(token: string) {
  return useQuery({
    queryKey: ['invite', token],
    queryFn: ({ signal }) => api<InviteWelcome>(`/api/invite/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}
