import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useSignedInMe } from '../shell/RequireSignIn';
import { useSendTestEmail } from './email-api';

/** "Send a test email": checks that the mail server setup delivers. */
export function SendTestEmailButton() {
  const me = useSignedInMe();
  const [opened, { open, close }] = useDisclosure(false);
  const [to, setTo] = useState(me.email ?? '');
  const send = useSendTestEmail();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(to.trim(), {
      onSuccess: () => {
        close();
        notifications.show({
          color: 'teal',
          title: 'Test email queued',
          message: `It goes to ${to.trim()}; its state shows in the log.`,
        });
      },
    });
  };
  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          send.reset();
          open();
        }}
      >
        Send a test email
      </Button>
      <Modal opened={opened} onClose={close} title={<Text fw={600}>Send a test email</Text>}>
        <form onSubmit={submit}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Checks that Convene can deliver email. Where no mail server is set up, the email is kept here to read.
            </Text>
            <TextInput
              label="Send to"
              type="email"
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
              required
              data-autofocus
            />
            {send.isError && (
              <Alert color="red" variant="light" role="alert">
                {send.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={send.isPending} disabled={!to.trim()}>
                Send
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
