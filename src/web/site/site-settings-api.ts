/** The site settings as admins read and change them (`GET`/`PATCH /api/admin/settings`). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SiteSettings, SiteSettingsPatch } from '../../shared/site-settings';
import { api } from '../api/client';

const settingsKey = ['admin', 'settings'] as const;

export function useSiteSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => api<SiteSettings>('/api/admin/settings', { signal }),
  });
}

/** Saves a patch; the answer (every setting) replaces the cached settings. */
export function useSaveSiteSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: SiteSettingsPatch) =>
      api<SiteSettings>('/api/admin/settings', { method: 'PATCH', body: patch }),
    onSuccess: (settings) => client.setQueryData(settingsKey, settings),
  });
}
