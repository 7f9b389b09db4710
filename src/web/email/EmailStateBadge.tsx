import { Badge } from '@mantine/core';
import type { OutboxState } from '../../shared/enums';

const looks: Record<OutboxState, { color: string; label: string }> = {
  queued: { color: 'gray', label: 'Queued' },
  sending: { color: 'blue', label: 'Sending' },
  sent: { color: 'teal', label: 'Sent' },
  failed: { color: 'red', label: 'Failed' },
  kept: { color: 'yellow', label: 'Kept' },
};

/** An outbox state as a coloured word. */
export function EmailStateBadge({ state }: { readonly state: OutboxState }) {
  const look = looks[state] ?? { color: 'gray', label: state };
  return (
    <Badge color={look.color} variant="light" radius="sm" styles={{ label: { overflow: 'visible' } }}>
      {look.label}
    </Badge>
  );
}
