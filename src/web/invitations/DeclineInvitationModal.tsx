import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';

interface DeclineInvitationModalProps {
  /** the community whose invitation is being declined; null: closed */
  readonly community: { readonly name: string; readonly privacy: string } | null;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** Asks before a decline: unlike "Not now", declining ends the invitation. */
export function DeclineInvitationModal({ community, busy, error, onConfirm, onCancel }: DeclineInvitationModalProps) {
  return (
    <Modal
      opened={community !== null}
      onClose={onCancel}
      title={community ? `Decline the invitation to ${community.name}?` : ''}
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          Declining ends this invitation: it leaves your home, and the community’s leaders see that you declined.{' '}
          {community?.privacy === 'public'
            ? 'You can still join this public community whenever you like.'
            : 'To join later, you will need a new invitation.'}{' '}
          To decide later instead, choose “Not now”.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} data-autofocus>
            Keep the invitation
          </Button>
          <Button color="red" loading={busy} onClick={onConfirm}>
            Decline invitation
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
