/**
 * The data tools' side of the API (`/api/admin/data-jobs…`): the shapes the server answers and the
 * TanStack Query hooks the screens use. Live progress is polled with `refetchInterval` while a job
 * is queued or running, so an admin can leave the page and come back to the same picture.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataJobStatus, DataJobType, KeyType } from '../../shared/enums';
import { api, ApiError } from '../api/client';

/** Columns by header name (or 1-based index when the file has no header row). */
export interface DataJobMapping {
  readonly keyColumn: string;
  readonly keyType: KeyType;
  readonly communityColumn?: string;
  readonly [field: string]: string | undefined;
}

/** Counts by outcome, and skipped rows by reason. */
export interface DataJobCounts {
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly byReason: Readonly<Record<string, number>>;
}

export interface DryRunSample {
  readonly rowNumber: number;
  readonly values: readonly string[];
  readonly outcome?: string;
  readonly reason?: string | null;
}

export interface DataJobDryRun extends DataJobCounts {
  /** sample rows per outcome or reason code */
  readonly samples: Readonly<Record<string, readonly DryRunSample[]>>;
}

export interface DataJobProgress {
  readonly done: number;
  readonly total: number;
  readonly ratePerSecond: number | null;
  readonly secondsLeft: number | null;
}

export interface DataJobCreator {
  readonly id: number;
  readonly name: string;
  readonly email?: string;
}

export interface DataJob {
  readonly id: number;
  readonly type: DataJobType;
  readonly status: DataJobStatus;
  readonly fileName: string;
  readonly hasHeader?: boolean;
  readonly rowCount: number;
  readonly columns: readonly string[];
  readonly sample?: readonly (readonly string[])[];
  readonly suggestedMapping?: Partial<DataJobMapping> | null;
  /** a mapping saved from an earlier job whose file had the same headers */
  readonly rememberedMapping?: Partial<DataJobMapping> | null;
  readonly mapping?: DataJobMapping | null;
  readonly dryRun?: DataJobDryRun | null;
  readonly counters?: DataJobCounts | null;
  readonly progress?: DataJobProgress | null;
  readonly createdBy?: DataJobCreator | null;
  readonly createdAt: number;
  readonly startedAt?: number | null;
  readonly finishedAt?: number | null;
  readonly error?: string | null;
  /** invitations this job created that are still open (what Undo would revoke) */
  readonly undoableCount?: number;
}

export interface DataJobResult {
  readonly rowNumber: number;
  readonly values: readonly string[];
  readonly outcome: string;
  readonly reason: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly total?: number;
}

const base = '/api/admin/data-jobs';
export const dataJobKeys = {
  all: ['data-jobs'] as const,
  list: () => [...dataJobKeys.all, 'list'] as const,
  one: (id: number) => [...dataJobKeys.all, id] as const,
  results: (id: number, outcome: string, cursor: string | null) => [...dataJobKeys.all, id, 'results', outcome, cursor] as const,
};

/** True while the worker has the job (or will soon): the screens poll then. */
export function isActive(status: DataJobStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function isFinished(status: DataJobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'canceled';
}

export const samplesUrl = (type: DataJobType): string => `${base}/samples/${type}.csv`;
export const resultsCsvUrl = (id: number): string => `${base}/${id}/results.csv`;

export function useDataJobs() {
  return useQuery({
    queryKey: dataJobKeys.list(),
    queryFn: async ({ signal }) => unwrapList(await api<unknown>(base, { signal })),
    // keep running jobs' counts moving in the table
    refetchInterval: (query) => (query.state.data?.some((job) => isActive(job.status)) ? 2000 : false),
  });
}

export function useDataJob(id: number) {
  return useQuery({
    queryKey: dataJobKeys.one(id),
    queryFn: async ({ signal }) => unwrapJob(await api<unknown>(`${base}/${id}`, { signal })),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? 1000 : false),
    retry: (count, error) => !(error instanceof ApiError) || (error.status >= 500 && count < 2),
  });
}

export function useDataJobResults(id: number, outcome: string, cursor: string | null) {
  return useQuery({
    queryKey: dataJobKeys.results(id, outcome, cursor),
    queryFn: async ({ signal }) =>
      unwrapPage(await api<unknown>(`${base}/${id}/results`, { signal, query: { outcome, cursor } })),
    placeholderData: keepPreviousData,
  });
}

/** Uploads the file as multipart; the server parses it as it arrives and answers with the job. */
export async function uploadDataJob(input: { type: DataJobType; hasHeader: boolean; file: File }): Promise<DataJob> {
  const form = new FormData();
  // fields before the file: the server reads them before it streams the file
  form.append('type', input.type);
  form.append('hasHeader', String(input.hasHeader));
  form.append('file', input.file, input.file.name);
  let response: Response;
  try {
    response = await fetch(base, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network_error', 'Convene could not be reached. Check your connection and try again.');
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (error?.code && error.message) throw new ApiError(response.status, error.code as ApiError['code'], error.message, error.details);
    throw new ApiError(response.status, 'unexpected_response', `The upload failed (HTTP ${response.status}).`);
  }
  return unwrapJob(payload);
}

/** Mutations that answer with the job and refresh it (and the list) in the cache. */
export function useDataJobAction(id: number) {
  const client = useQueryClient();
  const onSuccess = (job: DataJob) => {
    client.setQueryData(dataJobKeys.one(id), job);
    void client.invalidateQueries({ queryKey: dataJobKeys.list() });
  };
  const post = (action: 'start' | 'cancel' | 'undo') => async () =>
    unwrapJob(await api<unknown>(`${base}/${id}/${action}`, { method: 'POST', body: {} }));
  return {
    saveMapping: useMutation({
      mutationFn: async (mapping: DataJobMapping) =>
        unwrapJob(await api<unknown>(`${base}/${id}/mapping`, { method: 'PUT', body: mapping })),
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

// The server answers a job either bare or as `{ job }`, a list as an array, `{ items }` or `{ jobs }`.
function unwrapJob(payload: unknown): DataJob {
  const body = payload as { job?: DataJob } & DataJob;
  return normalizeJob(body.job ?? body);
}

function unwrapList(payload: unknown): DataJob[] {
  const body = payload as DataJob[] | { items?: DataJob[]; jobs?: DataJob[] };
  const list = Array.isArray(body) ? body : (body.items ?? body.jobs ?? []);
  return list.map(normalizeJob);
}

function unwrapPage(payload: unknown): Page<DataJobResult> {
  const body = payload as { items?: DataJobResult[]; results?: DataJobResult[]; nextCursor?: string | null; total?: number };
  return { items: body.items ?? body.results ?? [], nextCursor: body.nextCursor ?? null, total: body.total };
}

function normalizeJob(job: DataJob): DataJob {
  return { ...job, counters: normalizeCounts(job.counters), dryRun: job.dryRun ? { ...job.dryRun, ...normalizeCounts(job.dryRun) } : job.dryRun };
}

function normalizeCounts<T extends DataJobCounts>(counts: T | null | undefined): T | null {
  if (!counts) return null;
  return { ...counts, byOutcome: counts.byOutcome ?? {}, byReason: counts.byReason ?? {} };
}
