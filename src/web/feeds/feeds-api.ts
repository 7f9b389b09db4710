/** The admin feeds API: list, define, change, delete a feed, renew its upload token, its runs, look now. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Feed,
  FeedRun,
  feedCreatedSchema,
  feedInputSchema,
  feedPatchSchema,
  feedScanAnswerSchema,
} from '../../shared/feeds';
import { api } from '../api/client';

export type { Feed, FeedRun };
export type FeedCreate = z.input<typeof feedInputSchema>;
export type FeedChange = z.input<typeof feedPatchSchema>;
export type FeedCreated = z.output<typeof feedCreatedSchema>;
export type FeedScanAnswer = z.output<typeof feedScanAnswerSchema>;

const key = ['admin', 'feeds'] as const;

export function useFeeds() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api<{ items: Feed[] }>('/api/admin/feeds', { signal }),
  });
}

export function useFeed(id: number) {
  return useQuery({
    queryKey: [...key, id],
    queryFn: ({ signal }) => api<Feed>(`/api/admin/feeds/${id}`, { signal }),
  });
}

export function useFeedRuns(id: number) {
  return useQuery({
    queryKey: [...key, id, 'runs'],
    queryFn: ({ signal }) => api<{ items: FeedRun[] }>(`/api/admin/feeds/${id}/runs`, { signal }),
    // runs move on as the worker takes files and jobs run: read them again every few seconds while shown
    refetchInterval: 3_000,
  });
}

export function useCreateFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FeedCreate) => api<FeedCreated>('/api/admin/feeds', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useChangeFeed(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FeedChange) => api<Feed>(`/api/admin/feeds/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useDeleteFeed(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ok: true }>(`/api/admin/feeds/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.removeQueries({ queryKey: [...key, id] }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key, exact: true }),
  });
}

export function useRenewUploadToken(id: number) {
  return useMutation({
    mutationFn: () => api<{ uploadToken: string }>(`/api/admin/feeds/${id}/token`, { method: 'POST' }),
  });
}

export function useScanFeeds() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<FeedScanAnswer>('/api/admin/feeds/scan', { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
