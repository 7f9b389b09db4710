import { Button, Collapse, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { InvitationList } from './InvitationList';
import { useHiddenInvitations } from './invitations-api';

/** Home's "Hidden invitations": the ones set aside with "Not now", folded away, each with Show again and Join. */
export function HiddenInvitations() {
  const hidden = useHiddenInvitations();
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (hidden.isPending) return <LoadingState />;
  if (hidden.isError) return <ErrorState error={hidden.error} onRetry={() => hidden.refetch()} />;
  const count = hidden.data.length;
  if (count === 0 && !open)
    return (
      <Text size="sm" c="dimmed">
        None hidden.
      </Text>
    );
  return (
    <>
      <Button variant="subtle" px={0} aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
        {open ? 'Fold hidden invitations' : `Show hidden invitations (${count})`}
      </Button>
      <Collapse expanded={open} id={listId}>
        <Text size="sm" c="dimmed" my="xs">
          They stay open: show one again on your home, or join now.
        </Text>
        <InvitationList
          invitations={hidden.data}
          hidden
          empty={{
            title: 'No hidden invitations',
            description: 'Invitations you set aside with “Not now” appear here.',
          }}
        />
      </Collapse>
    </>
  );
}
