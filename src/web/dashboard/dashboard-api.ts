/** What the admin dashboard reads: the Members tab counts, the newest data jobs, emails that failed. */
import { useQuery } from '@tanstack/react-query';
import type { DataJobPage } from '../../shared/data-jobs';
import type { EmailLogPage } from '../../shared/email';
import type { PersonPage } from '../../shared/people';
import { api } from '../api/client';

/** People per Members tab (one row asked for; the counts come with every page). */
export function usePeopleCounts() {
  return useQuery({
    queryKey: ['admin', 'people', 'counts'],
    queryFn: ({ signal }) =>
      api<PersonPage>('/api/admin/people', { query: { status: 'active', limit: 1 }, signal }).then(
        (page) => page.counts,
      ),
  });
}

/** The newest data jobs. */
export function useRecentDataJobs(limit = 5) {
  return useQuery({
    queryKey: ['admin', 'data-jobs', 'recent', limit],
    queryFn: ({ signal }) =>
      api<DataJobPage>('/api/admin/data-jobs', { query: { limit }, signal }).then((page) => page.items),
  });
}

/** Emails that failed, newest first (up to `limit`; `more` when there are others). */
export function useFailedEmails(limit = 50) {
  return useQuery({
    queryKey: ['admin', 'emails', 'failed-count', limit],
    queryFn: ({ signal }) =>
      api<EmailLogPage>('/api/admin/emails', { query: { state: 'failed', limit }, signal }).then((page) => ({
        count: page.items.length,
        more: page.nextCursor !== null,
      })),
  });
}
