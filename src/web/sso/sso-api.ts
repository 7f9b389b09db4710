/** Single sign-on in the web app: the admins' provider settings, a person's links, the start URL. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IdentityProvider, IdentityProviderBody, IdentityProviderPatch, MyLinks } from '../../shared/sso';
import { api } from '../api/client';

export type { IdentityProvider, MyLinks };

const providersKey = ['admin', 'identity-providers'] as const;

export function useIdentityProviders() {
  return useQuery({
    queryKey: providersKey,
    queryFn: ({ signal }) => api<{ items: IdentityProvider[] }>('/api/admin/identity-providers', { signal }),
  });
}

function useProviderMutation<V>(fn: (v: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: providersKey });
      await queryClient.invalidateQueries({ queryKey: ['site'] });
    },
  });
}

export function useCreateIdentityProvider() {
  return useProviderMutation((body: IdentityProviderBody) =>
    api<IdentityProvider>('/api/admin/identity-providers', { body }),
  );
}

export function useUpdateIdentityProvider() {
  return useProviderMutation(({ id, patch }: { id: number; patch: IdentityProviderPatch }) =>
    api<IdentityProvider>(`/api/admin/identity-providers/${id}`, { method: 'PATCH', body: patch }),
  );
}

export function useDeleteIdentityProvider() {
  return useProviderMutation((id: number) =>
    api<{ ok: true }>(`/api/admin/identity-providers/${id}`, { method: 'DELETE' }),
  );
}

const linksKey = ['me', 'sso'] as const;

export function useMySsoLinks() {
  return useQuery({ queryKey: linksKey, queryFn: ({ signal }) => api<MyLinks>('/api/me/sso', { signal }) });
}

export function useUnlinkProvider() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (providerId: number) => api<{ ok: true }>(`/api/me/sso/${providerId}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: linksKey }),
  });
}

/** The address that starts a sign-in at a provider (a top-level navigation, not a fetch). */
export function ssoStartUrl(
  providerId: number,
  options: { next?: string; landing?: string; intent?: 'link' } = {},
): string {
  const query = new URLSearchParams();
  if (options.next && options.next !== '/') query.set('next', options.next);
  if (options.landing) query.set('landing', options.landing);
  if (options.intent) query.set('intent', options.intent);
  const q = query.toString();
  return `/api/sso/${providerId}/start${q ? `?${q}` : ''}`;
}
