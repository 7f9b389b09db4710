/** The app's TanStack Query client: no retries on answers the server gave on purpose (4xx). */
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError, meQueryKey } from './api/client';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A session that ended (idle timeout, signed out elsewhere) shows up as 401 anywhere:
      // mark the person signed out so the sign-in guard sends them to /sign-in and back.
      onError: (error, query) => {
        if (isApiError(error, 'unauthenticated') && query.queryKey[0] !== meQueryKey[0])
          client.setQueryData(meQueryKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        retry: (count, error) => !(isApiError(error) && error.status > 0 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
        staleTime: 15_000,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
