/** The site's public face (its name), for the brand header. */
import { useQuery } from '@tanstack/react-query';
import type { Site } from '../../shared/site';
import { api } from './client';

export type { Site };

/** GET /api/site; `data` stays undefined while loading or when the server cannot say. */
export function useSite() {
  return useQuery({
    queryKey: ['site'],
    queryFn: ({ signal }) => api<Site>('/api/site', { signal }),
    staleTime: 10 * 60_000,
    retry: false,
  });
}
