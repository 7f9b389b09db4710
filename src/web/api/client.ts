/**
 * The web app's one way to call the API: JSON in and out, same-origin cookies, and an ApiError
 * carrying the server's `{ error: { code, message, details } }` for anything that is not 2xx.
 */
import { useQuery } from '@tanstack/react-query';
import type { ErrorCode } from '../../shared/errors';
import type { Me, SessionAnswer } from '../../shared/auth';

/** An error answered by the server (or a network failure, with code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'unexpected_response',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** sent as JSON */
  readonly body?: unknown;
  /** appended as a query string; undefined, null and '' values are left out */
  readonly query?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly signal?: AbortSignal;
}

/** Calls `path` (e.g. `/api/me`) and returns the parsed JSON body, typed by the caller. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, query, signal } = options;
  let response: Response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Convene could not be reached. Check your connection and try again.');
  }
  const payload: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload as T;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code as ErrorCode, error.message, error.details);
  }
  return new ApiError(status, 'unexpected_response', `The server answered with an unexpected error (HTTP ${status}).`);
}

/** True when `error` is an ApiError with one of `codes`. */
export function isApiError(error: unknown, ...codes: ApiError['code'][]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

/** The signed-in person, as GET /api/me answers (the shape lives in src/shared/auth.ts). */
export type { Me };

export const meQueryKey = ['me'] as const;

/**
 * The signed-in person: `data` is the person, `null` when signed out, and undefined while loading.
 * It asks `/api/session`, which answers 200 to visitors too, so a signed-out page logs no error.
 * Other failures (server down) are left in `error` for the caller to show.
 */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }): Promise<Me | null> => (await api<SessionAnswer>('/api/session', { signal })).me,
    staleTime: 60_000,
    retry: (count, error) => !isApiError(error) || (error.status >= 500 && count < 2),
  });
}
