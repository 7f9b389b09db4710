/**
 * The data tools' side of the API (`/api/admin/data-jobs…`): the TanStack Query hooks the screens
 * use, typed by the shapes in src/shared/data-jobs.ts. Live progress is polled with `refetchInterval` while a job
 * is queued or running, so an admin can leave the page and come back to the same picture.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ColumnRef,
  DataJob,
  DataJobCounts,
  DataJobDryRun,
  DataJobPage,
  DataJobProgress,
  DataJobResult,
  DataJobResultPage,
  DataJobSummary,
  FileRow,
  JobInviteeEmailAnswer,
  JobInviteeEmailProgress,
  mappingInputSchema,
} from '../../shared/data-jobs';
import type { DataJobStatus, DataJobType } from '../../shared/enums';
import { api, ApiError } from '../api/client';

export type {
  ColumnRef,
  DataJob,
  DataJobCounts,
  DataJobDryRun,
  DataJobProgress,
  DataJobResult,
  DataJobSummary,
  FileRow,
};

/** What each column holds, as the wizard sends it: a header name or a 1-based index per field. */
export type DataJobMapping = z.input<typeof mappingInputSchema>;

export const base = '/api/admin/data-jobs';
/** rows per page of the per-row log */
const resultsPageSize = 25;
export const dataJobKeys = {
  all: ['data-jobs'] as const,
  list: () => [...dataJobKeys.all, 'list'] as const,
  one: (id: number) => [...dataJobKeys.all, id] as const,
  results: (id: number, outcome: string, cursor: string | null) =>
    [...dataJobKeys.all, id, 'results', outcome, cursor] as const,
};

/** True while the worker has the job (or will soon): the screens poll then. */
export function isActive(status: DataJobStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Running, waiting to run, or mapped with its dry run still being computed. */
function needsPolling(job: DataJob): boolean {
  return isActive(job.status) || (job.status === 'mapped' && !job.dryRun);
}

export function isFinished(status: DataJobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'canceled';
}

export const samplesUrl = (type: DataJobType): string => `${base}/samples/${type}.csv`;
export const resultsCsvUrl = (id: number): string => `${base}/${id}/results.csv`;

/** The site's jobs, newest first, a page at a time. */
export function useDataJobs() {
  return useInfiniteQuery({
    queryKey: dataJobKeys.list(),
    queryFn: ({ signal, pageParam }) => api<DataJobPage>(base, { signal, query: { cursor: pageParam } }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // keep running jobs' counts moving in the table
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((job) => isActive(job.status))) ? 2000 : false,
  });
}

export function useDataJob(id: number) {
  return useQuery({
    queryKey: dataJobKeys.one(id),
    queryFn: ({ signal }) => api<DataJob>(`${base}/${id}`, { signal }),
    refetchInterval: (query) => (query.state.data && needsPolling(query.state.data) ? 1000 : false),
    retry: (count, error) => !(error instanceof ApiError) || (error.status >= 500 && count < 2),
  });
}

/** One page of the per-row log; `filter` is `outcome:<code>`, `reason:<code>` or '' for all rows. */
export function useDataJobResults(id: number, filter: string, cursor: string | null) {
  const [kind, code] = filter.split(':');
  return useQuery({
    queryKey: dataJobKeys.results(id, filter, cursor),
    queryFn: ({ signal }) =>
      api<DataJobResultPage>(`${base}/${id}/results`, {
        signal,
        query: {
          outcome: kind === 'outcome' ? code : undefined,
          reason: kind === 'reason' ? code : undefined,
          cursor,
          limit: resultsPageSize,
        },
      }),
    placeholderData: keepPreviousData,
  });
}

/** Mutations that answer with the job and refresh it (and the list) in the cache. */
export function useDataJobAction(id: number) {
  const client = useQueryClient();
  const onSuccess = (job: DataJob) => {
    client.setQueryData(dataJobKeys.one(id), job);
    void client.invalidateQueries({ queryKey: dataJobKeys.list() });
  };
  const post = (action: 'start' | 'resume' | 'cancel' | 'undo') => () =>
    api<DataJob>(`${base}/${id}/${action}`, { method: 'POST' });
  return {
    saveMapping: useMutation({
      mutationFn: (mapping: DataJobMapping) => api<DataJob>(`${base}/${id}/mapping`, { method: 'PUT', body: mapping }),
      onSuccess,
    }),
    rename: useMutation({
      mutationFn: (name: string | null) => api<DataJob>(`${base}/${id}`, { method: 'PATCH', body: { name } }),
      onSuccess,
    }),
    start: useMutation({ mutationFn: post('start'), onSuccess }),
    resume: useMutation({ mutationFn: post('resume'), onSuccess }),
    cancel: useMutation({ mutationFn: post('cancel'), onSuccess }),
    undo: useMutation({
      mutationFn: post('undo'),
      onSuccess: (job) => {
        onSuccess(job);
        void client.invalidateQueries({ queryKey: [...dataJobKeys.all, id, 'results'] });
      },
    }),
  };
}

/** "Email these invitees": the runs so far and where their emails stand; polled while some are queued. */
export function useInviteeEmailProgress(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...dataJobKeys.one(id), 'invitee-emails'],
    queryFn: ({ signal }) => api<JobInviteeEmailProgress>(`${base}/${id}/email-invitees`, { signal }),
    enabled,
    refetchInterval: (query) => ((query.state.data?.states.queued ?? 0) > 0 ? 3000 : false),
  });
}

/** The count and preview (confirm false), or the queueing (confirm true). */
export function useEmailInvitees(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { ratePerMinute: number; confirm: boolean }) =>
      api<JobInviteeEmailAnswer>(`${base}/${id}/email-invitees`, { method: 'POST', body }),
    onSuccess: (answer) => {
      if (answer.confirmed) void client.invalidateQueries({ queryKey: [...dataJobKeys.one(id), 'invitee-emails'] });
    },
  });
}
