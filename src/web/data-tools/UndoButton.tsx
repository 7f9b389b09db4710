import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useDataJobAction, type DataJob } from './data-jobs.api';

/** Undo for an invite job: revokes the invitations it created that are still open, after a confirm. */
export function UndoButton({ job }: { readonly job: DataJob }) {
  const [open, setOpen] = useState(false);
  const { undo } = useDataJobAction(job.id);
  // once Undo has revoked the job's invitations there is nothing left for it to do
  if (!job.canUndo || (job.counters?.revoked ?? 0) > 0) return null;

  return (
    <>
      <Button color="red" variant="subtle" onClick={() => setOpen(true)}>
        Undo
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Undo this job?" centered>
        <Stack gap="md">
          <Text size="sm">
            This revokes the invitations this job created that are still open: they disappear from people’s Recommended
            Communities. People who already joined stay members. Nobody is emailed.
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
            <Button
              color="red"
              loading={undo.isPending}
              onClick={() => undo.mutate(undefined, { onSuccess: () => setOpen(false) })}
            >
              Revoke invitations
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
