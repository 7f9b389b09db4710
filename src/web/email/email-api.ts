/** The admin Email log API: GET /api/admin/emails?state=&cursor= and GET /api/admin/emails/:id. */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { OutboxState } from '../../shared/enums';
import { api } from '../api/client';

export interface EmailLogItem {
  readonly id: number;
  readonly to: string;
  readonly template: string;
  readonly subject: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly sentAt: number | null;
}

export interface EmailLogPage {
  readonly items: readonly EmailLogItem[];
  readonly nextCursor?: string | null;
}

export interface EmailDetail extends EmailLogItem {
  readonly text?: string | null;
  readonly html?: string | null;
}

/** The log, newest first, a page at a time; `state` narrows it (undefined: every state). */
export function useEmailLog(state: OutboxState | undefined) {
  return useInfiniteQuery({
    queryKey: ['admin', 'emails', { state: state ?? null }],
    queryFn: ({ pageParam, signal }) => api<EmailLogPage>('/api/admin/emails', { query: { state, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One email with its rendered text and HTML (when kept). */
export function useEmail(id: number | null) {
  return useQuery({
    queryKey: ['admin', 'emails', id],
    queryFn: ({ signal }) => api<EmailDetail | { email: EmailDetail }>(`/api/admin/emails/${id}`, { signal }).then((body) => ('email' in body ? body.email : body)),
    enabled: id !== null,
  });
}
