/** The admin API tokens API: GET/POST /api/admin/tokens and DELETE /api/admin/tokens/:id. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, ApiTokenCreateBody, ApiTokenCreated, ApiTokenList } from '../../shared/api-tokens';
import type { ApiTokenScope } from '../../shared/enums';
import { api } from '../api/client';

export type { ApiToken, ApiTokenCreated };

export function useApiTokens() {
  return useQuery({
    queryKey: ['admin', 'tokens'],
    queryFn: ({ signal }) => api<ApiTokenList>('/api/admin/tokens', { signal }),
  });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiTokenCreateBody) => api<ApiTokenCreated>('/api/admin/tokens', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<ApiToken>(`/api/admin/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] }),
  });
}

/** The scopes in words, for the form and the table. */
export const scopeWords: Record<ApiTokenScope, { label: string; description: string }> = {
  read: { label: 'Read', description: 'Lists, pages and exports (GET requests only)' },
  data_jobs: { label: 'Data jobs', description: 'Read, and upload, run and undo Data Tools jobs' },
  full: { label: 'Full', description: 'Everything you can do as an admin' },
};
