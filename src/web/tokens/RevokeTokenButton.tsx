import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { isApiError } from '../api/client';
import { type ApiToken, useRevokeApiToken } from './tokens-api';

/** Revoke, after a confirmation: the token stops working at once. */
export function RevokeTokenButton({ token }: { token: ApiToken }) {
  const [opened, { open, close }] = useDisclosure(false);
  const revoke = useRevokeApiToken();
  const cancel = () => {
    close();
    revoke.reset();
  };
  return (
    <>
      <Button size="compact-sm" variant="light" color="red" onClick={open} aria-label={`Revoke token ${token.name}`}>
        Revoke
      </Button>
      <Modal opened={opened} onClose={cancel} title="Revoke this token?">
        <Stack>
          <Text size="sm">
            Scripts using <strong>{token.name}</strong> stop working at once. This cannot be undone; make a new token if
            it is needed again.
          </Text>
          {revoke.isError && (
            <Alert color="red">{isApiError(revoke.error) ? revoke.error.message : 'That did not work.'}</Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={cancel}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoke.mutate(token.id, { onSuccess: close })}
            >
              Revoke token
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
