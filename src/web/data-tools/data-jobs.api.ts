/**
 * The data tools' side of the API (`/api/admin/data-jobs…`): the shapes the server answers and the
 * TanStack Query hooks the screens use. Live progress is polled with `refetchInterval` while a job
 * is queued or running, so an admin can leave the page and come back to the same picture.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataJobStatus, DataJobType, KeyType } from '../../shared/enums';
import { api, ApiError } from '../api/client';

/** A column: header name, or 1-based index (the server answers with indexes). */
export type ColumnRef = string | number;

/** What each column holds; the server answers with 1-based indexes. */
export interface DataJobMapping {
  readonly keyColumn?: ColumnRef;
  readonly keyType: KeyType;
  readonly communityColumn?: ColumnRef;
  readonly firstNameColumn?: ColumnRef;
  readonly lastNameColumn?: ColumnRef;
  readonly emailColumn?: ColumnRef;
  readonly memberTypeColumn?: ColumnRef;
}

/** Counts by outcome, and skipped rows by reason. */
export interface DataJobCounts {
  readonly outcomes: Readonly<Record<string, number>>;
  readonly reasons: Readonly<Record<string, number>>;
  /** invitations revoked by Undo */
  readonly revoked?: number;
}

export interface FileRow {
  readonly rowNumber: number;
  readonly values: readonly string[];
}

export interface DataJobDryRun extends DataJobCounts {
  readonly total: number;
  /** up to 5 rows per outcome or reason code */
  readonly samples: Readonly<Record<string, readonly FileRow[]>>;
  readonly computedAt?: number;
}

export interface DataJobProgress {
  readonly done: number;
  readonly total: number;
  readonly ratePerSecond: number | null;
  readonly secondsLeft: number | null;
}

export interface DataJob {
  readonly id: number;
  readonly type: DataJobType;
  readonly status: DataJobStatus;
  readonly fileName: string;
  readonly hasHeader?: boolean;
  readonly rowCount: number;
  /** header names, or "Column 1", "Column 2"… (absent in the list) */
  readonly columns?: readonly string[];
  /** the first data rows */
  readonly sample?: readonly FileRow[];
  readonly suggestedMapping?: DataJobMapping | null;
  /** the suggestion is the mapping of an earlier job whose file had the same headers */
  readonly mappingRemembered?: boolean;
  readonly mapping?: DataJobMapping | null;
  readonly dryRun?: DataJobDryRun | null;
  readonly counters?: DataJobCounts | null;
  readonly progress?: DataJobProgress | null;
  readonly error?: string | null;
  readonly createdBy?: { readonly id: number; readonly name: string } | null;
  readonly createdAt: number;
  readonly startedAt?: number | null;
  readonly finishedAt?: number | null;
  /** an invite job with invitations still open that Undo would revoke */
  readonly canUndo?: boolean;
}

export interface DataJobResult extends FileRow {
  readonly outcome: string;
  readonly reason: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

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
    queryFn: ({ signal, pageParam }) => api<Page<DataJob>>(base, { signal, query: { cursor: pageParam } }),
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
      api<Page<DataJobResult>>(`${base}/${id}/results`, {
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
  const post = (action: 'start' | 'cancel' | 'undo') => () =>
    api<DataJob>(`${base}/${id}/${action}`, { method: 'POST' });
  return {
    saveMapping: useMutation({
      mutationFn: (mapping: DataJobMapping) => api<DataJob>(`${base}/${id}/mapping`, { method: 'PUT', body: mapping }),
      onSuccess,
    }),
    start: useMutation({ mutationFn: post('start'), onSuccess }),
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
