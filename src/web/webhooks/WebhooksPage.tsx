import {
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { CreateWebhookButton, SecretOnce } from './CreateWebhookButton';
import {
  useDeleteWebhook,
  useDeliveries,
  useReplay,
  useRotateSecret,
  useUpdateWebhook,
  useWebhooks,
  type WebhookEndpoint,
} from './webhooks-api';

function StateBadge({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (!endpoint.enabled)
    return (
      <Badge color="red" variant="light" style={{ minWidth: 'max-content' }}>
        {endpoint.disabledReason === 'failing' ? 'Off: failing for a day' : 'Off'}
      </Badge>
    );
  if (endpoint.failingSince !== null)
    return (
      <Badge color="orange" variant="light" style={{ minWidth: 'max-content' }}>
        Failing since {formatDateTime(endpoint.failingSince)}
      </Badge>
    );
  return (
    <Badge color="green" variant="light" style={{ minWidth: 'max-content' }}>
      On
    </Badge>
  );
}

function EndpointActions({ endpoint, onLog }: { endpoint: WebhookEndpoint; onLog: () => void }) {
  const update = useUpdateWebhook(endpoint.id);
  const remove = useDeleteWebhook(endpoint.id);
  const rotate = useRotateSecret(endpoint.id);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Button size="xs" variant="light" onClick={onLog}>
        Delivery log
      </Button>
      <Button
        size="xs"
        variant="default"
        loading={update.isPending}
        onClick={() => update.mutate({ enabled: !endpoint.enabled })}
      >
        {endpoint.enabled ? 'Turn off' : 'Turn on'}
      </Button>
      <Button
        size="xs"
        variant="default"
        loading={rotate.isPending}
        onClick={() => rotate.mutate(undefined, { onSuccess: (r) => setSecret(r.secret) })}
      >
        Rotate secret
      </Button>
      <Button
        size="xs"
        color="red"
        variant="subtle"
        loading={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) remove.mutate();
        }}
      >
        Delete
      </Button>
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title="New secret">
        {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      </Modal>
    </Group>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const deliveries = useDeliveries(endpoint.id);
  const replay = useReplay(endpoint.id);
  const items = deliveries.data?.deliveries ?? [];
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Delivery log: {endpoint.url}
      </Title>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState py="lg" title="No deliveries yet" description="Events this endpoint asked for appear here." />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" aria-label="Deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Answer</Table.Th>
                <Table.Th>Response time</Table.Th>
                <Table.Th>Last attempt</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id} data-testid="delivery-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {d.type}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {d.eventId}
                      {d.replayOf !== null ? ' (replay)' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={d.state === 'delivered' ? 'green' : d.attempts > 0 ? 'orange' : 'gray'}
                      style={{ minWidth: 'max-content' }}
                    >
                      {d.state === 'delivered' ? 'Delivered' : d.attempts > 0 ? 'Retrying' : 'Queued'}
                    </Badge>
                    {d.state === 'queued' && d.nextAttemptAt !== null && d.attempts > 0 && (
                      <Text size="xs" c="dimmed">
                        next {formatDateTime(d.nextAttemptAt)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.attempts}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.lastStatus ?? (d.lastError ? 'no answer' : '—')}</Text>
                    {d.lastError && (
                      <Text size="xs" c="dimmed">
                        {d.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.lastResponseMs === null ? '—' : `${d.lastResponseMs} ms`}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.lastAttemptAt === null ? '—' : formatDateTime(d.lastAttemptAt)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="default"
                      loading={replay.isPending && replay.variables === d.id}
                      onClick={() => replay.mutate(d.id)}
                      aria-label={`Replay ${d.type} ${d.eventId}`}
                    >
                      Replay
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** /admin/webhooks — webhook endpoints (site settings): add (secret shown once), the delivery log, replay. */
export function WebhooksPage() {
  const webhooks = useWebhooks();
  const items = webhooks.data?.endpoints ?? [];
  const [shown, setShown] = useState<number | null>(null);
  const selected = items.find((e) => e.id === shown) ?? null;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell the institution’s systems what happens here: who was invited, joined or declined, who was created or deactivated, when a Data Tools job finished. Requests are signed per Standard Webhooks."
        actions={<CreateWebhookButton />}
      />
      <Stack>
        <Paper withBorder>
          {webhooks.isPending ? (
            <LoadingState label="Loading endpoints…" />
          ) : webhooks.isError ? (
            <Stack p="md">
              <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
            </Stack>
          ) : items.length === 0 ? (
            <EmptyState py="xl" title="No webhook endpoints" description="Add one with New endpoint." />
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" aria-label="Webhook endpoints">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>URL</Table.Th>
                    <Table.Th>Events</Table.Th>
                    <Table.Th>Sent as</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Waiting</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                          {e.url}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.events.join(', ')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.perEvent ? 'One per request' : 'Batches'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <StateBadge endpoint={e} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.queued}</Text>
                      </Table.Td>
                      <Table.Td>
                        <EndpointActions endpoint={e} onLog={() => setShown(e.id)} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
        {selected && <DeliveryLog endpoint={selected} />}
      </Stack>
    </>
  );
}
