/** The admin Email log API: GET /api/admin/emails?state=&kind=&to=&cursor= and GET /api/admin/emails/:id. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { EmailDetail, EmailLogItem, EmailLogPage, testEmailAnswerSchema } from '../../shared/email';
import type { OutboxState } from '../../shared/enums';
import { api } from '../api/client';

export type { EmailDetail, EmailLogItem, EmailLogPage };

/** What narrows the log: a state, a kind (template) and part of the recipient's address; undefined: all. */
export interface EmailLogFilter {
  readonly state?: OutboxState;
  readonly kind?: string;
  readonly to?: string;
}

/** The log, newest first, a page at a time, narrowed by `filter`. */
export function useEmailLog(filter: EmailLogFilter) {
  const { state, kind, to } = filter;
  return useInfiniteQuery({
    queryKey: ['admin', 'emails', { state: state ?? null, kind: kind ?? null, to: to ?? null }],
    queryFn: ({ pageParam, signal }) =>
      api<EmailLogPage>('/api/admin/emails', { query: { state, kind, to, cursor: pageParam }, signal }),
    placeholderData: (previous) => previous,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One email with its rendered text and HTML (when kept). */
export function useEmail(id: number | null) {
  return useQuery({
    queryKey: ['admin', 'emails', id],
    queryFn: ({ signal }) => api<EmailDetail>(`/api/admin/emails/${id}`, { signal }),
    enabled: id !== null,
  });
}

/** POST /api/admin/emails/test {to}: queues a test email, to check that delivery works. */
export function useSendTestEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (to: string) => api<z.output<typeof testEmailAnswerSchema>>('/api/admin/emails/test', { body: { to } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'emails'] }),
  });
}
