/** A person's own profile: PATCH /api/me (their name) and GET/PATCH /api/me/notifications. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../shared/auth';
import type { ProfilePatch } from '../../shared/profile';
import type { MyNotifications, NotificationSettingsPatch } from '../../shared/notifications';
import { api, meQueryKey } from '../api/client';

const notificationsKey = ['me', 'notifications'] as const;

export function useMyNotifications() {
  return useQuery({
    queryKey: notificationsKey,
    queryFn: ({ signal }) => api<MyNotifications>('/api/me/notifications', { signal }),
  });
}

export function useSaveNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: NotificationSettingsPatch) =>
      api<MyNotifications>('/api/me/notifications', { method: 'PATCH', body: patch }),
    onSuccess: (saved) => queryClient.setQueryData(notificationsKey, saved),
  });
}

export function useSaveName() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatch) => api<Me>('/api/me', { method: 'PATCH', body: patch }),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
}
