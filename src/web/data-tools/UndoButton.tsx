import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useDataJobAction, type DataJob } from './data-jobs.api';
import { formatCount } from './words';

/** Undo for an invite job: revokes the invitations it created that are still open, after a confirm. */
export function UndoButton({ job }: { readonly job: DataJob }) {
  const [open, setOpen] = useState(false);
  const { undo } = useDataJobAction(job.id);
  const count = job.undoableCount;
  if (count === 0 && !undo.isSuccess) return null;

  return (
    <>
      <Button color="red" variant="subtle" onClick={() => setOpen(true)} disabled={undo.isSuccess}>
        {undo.isSuccess ? 'Invitations revoked' : 'Undo'}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Undo this job?" centered>
        <Stack gap="md">
          <Text size="sm">
            {count !== undefined
              ? `This revokes the ${formatCount(count)} invitations this job created that are still open.`
              : 'This revokes the invitations this job created that are still open.'}{' '}
            People who already joined stay members. Nobody is emailed.
          </Text>
          {undo.isError && (
            <Alert color="red" role="alert">
              {undo.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Keep the invitations
            </Button>
            <Button color="red" loading={undo.isPending} onClick={() => undo.mutate(undefined, { onSuccess: () => setOpen(false) })}>
              Revoke invitations
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
