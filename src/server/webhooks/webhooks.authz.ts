/** Matrix rows for webhooks: endpoints, their log and replay are admins' only. */
import { type AuthzRow, expectations } from '../testing/authz.js';
import { insertEndpoint } from './webhook.repository.js';
import { queueWebhookEvent } from './webhook-event.repository.js';

const newEndpoint = (w: Parameters<NonNullable<AuthzRow['request']>>[0]) =>
  insertEndpoint(
    w.ctx.db,
    {
      url: 'https://example.com/hook',
      description: '',
      secret: 'whsec_c2VjcmV0',
      events: ['person.created'],
      perEvent: false,
    },
    w.ctx.clock.now(),
  );

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/webhooks', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/webhooks',
    expect: expectations.adminOnly(201),
    request: () => ({
      url: '/api/admin/webhooks',
      body: { url: 'https://example.com/hook', events: ['person.created'] },
    }),
  },
  {
    route: 'PATCH /api/admin/webhooks/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/webhooks/${(await newEndpoint(w)).id}`, body: { enabled: false } }),
  },
  {
    route: 'DELETE /api/admin/webhooks/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/webhooks/${(await newEndpoint(w)).id}` }),
  },
  {
    route: 'POST /api/admin/webhooks/:id/rotate-secret',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/webhooks/${(await newEndpoint(w)).id}/rotate-secret` }),
  },
  {
    route: 'GET /api/admin/webhooks/:id/deliveries',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/webhooks/${(await newEndpoint(w)).id}/deliveries` }),
  },
  {
    route: 'POST /api/admin/webhooks/:id/deliveries/:deliveryId/replay',
    expect: expectations.adminOnly(201),
    request: async (w) => {
      const endpoint = await newEndpoint(w);
      await queueWebhookEvent(w.ctx.db, w.ctx.clock.now(), { type: 'person.created', personId: null, data: {} });
      const d = await w.ctx.db
        .selectFrom('webhook_delivery')
        .select('id')
        .where('endpoint_id', '=', endpoint.id)
        .executeTakeFirstOrThrow();
      return { url: `/api/admin/webhooks/${endpoint.id}/deliveries/${d.id}/replay` };
    },
  },
];
