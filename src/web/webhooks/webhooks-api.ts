/** The admin webhooks API: endpoints, their delivery log, replay, rotate, turn on/off, delete. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  WebhookCreate,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookPatch,
  WebhookWithSecret,
} from '../../shared/webhooks';
import { api } from '../api/client';

export type { WebhookDelivery, WebhookEndpoint, WebhookWithSecret };

const key = ['admin', 'webhooks'] as const;

export function useWebhooks() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api<{ endpoints: WebhookEndpoint[] }>('/api/admin/webhooks', { signal }),
  });
}

export function useDeliveries(endpointId: number | null) {
  return useQuery({
    queryKey: [...key, endpointId, 'deliveries'],
    enabled: endpointId !== null,
    queryFn: ({ signal }) =>
      api<WebhookDeliveryPage>(`/api/admin/webhooks/${endpointId}/deliveries?limit=50`, { signal }),
    // the log changes as the worker delivers: read it again every few seconds while shown
    refetchInterval: 3_000,
  });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WebhookCreate) => api<WebhookWithSecret>('/api/admin/webhooks', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useUpdateWebhook(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WebhookPatch) => api<WebhookEndpoint>(`/api/admin/webhooks/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useDeleteWebhook(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ok: true }>(`/api/admin/webhooks/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useRotateSecret(id: number) {
  return useMutation({
    mutationFn: () => api<WebhookWithSecret>(`/api/admin/webhooks/${id}/rotate-secret`, { method: 'POST' }),
  });
}

export function useReplay(endpointId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: number) =>
      api<WebhookDelivery>(`/api/admin/webhooks/${endpointId}/deliveries/${deliveryId}/replay`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

/** The event types in words, for the form. */
export const eventWords: Record<WebhookEndpoint['events'][number], string> = {
  'person.created': 'A person is created',
  'person.activated': 'A person becomes active',
  'person.deactivated': 'A person is deactivated',
  'person.updated': 'A person’s name, email or member type is updated by a Data Tools job',
  'membership.invited': 'Someone is invited to a community',
  'membership.joined': 'Someone joins a community',
  'membership.declined': 'An invitation or a join request is declined',
  'membership.expired': 'An invitation expires',
  'data_job.finished': 'A Data Tools job finishes',
  'feed.run_finished': 'A feed run finishes',
};
