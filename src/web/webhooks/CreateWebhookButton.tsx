import { Alert, Button, Checkbox, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { type WebhookEventType, webhookEventTypes } from '../../shared/webhooks';
import { isApiError } from '../api/client';
import { eventWords, useCreateWebhook, type WebhookWithSecret } from './webhooks-api';

/** The secret, shown once, with a copy button. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="green" title="Copy the secret now">
        The receiver checks each request’s <code>webhook-signature</code> with this secret (Standard Webhooks). It is
        shown only once; if you lose it, rotate it.
      </Alert>
      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="webhook-secret">
        {secret}
      </Text>
      <Group justify="flex-end">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy secret'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

/** "New endpoint": URL, events, batched or one request per event; the secret is shown once. */
export function CreateWebhookButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const create = useCreateWebhook();
  const form = useForm({
    initialValues: {
      url: '',
      events: ['membership.joined', 'data_job.finished'] as WebhookEventType[],
      perEvent: false,
    },
    validate: {
      url: (v) => (v.trim() ? null : 'Enter the receiver’s URL'),
      events: (v) => (v.length ? null : 'Choose at least one event'),
    },
  });
  const done = () => {
    close();
    setCreated(null);
    form.reset();
    create.reset();
  };
  return (
    <>
      <Button onClick={open}>New endpoint</Button>
      <Modal opened={opened} onClose={done} title={created ? 'Endpoint added' : 'New webhook endpoint'} size="lg">
        {created ? (
          <SecretOnce secret={created.secret} onDone={done} />
        ) : (
          <form
            onSubmit={form.onSubmit((values) =>
              create.mutate(
                { url: values.url.trim(), events: values.events, perEvent: values.perEvent },
                { onSuccess: setCreated },
              ),
            )}
          >
            <Stack>
              <TextInput
                label="URL"
                description="Where the events are POSTed; https:// only"
                placeholder="https://crm.example.edu/convene-webhooks"
                required
                data-autofocus
                {...form.getInputProps('url')}
              />
              <Checkbox.Group label="Events" required {...form.getInputProps('events')}>
                <Stack gap="xs" mt="xs">
                  {webhookEventTypes.map((type) => (
                    <Checkbox key={type} value={type} label={eventWords[type]} description={type} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Checkbox
                label="One request per event"
                description="By default events go in batches of up to 100 a request, which large Data Tools jobs need."
                {...form.getInputProps('perEvent', { type: 'checkbox' })}
              />
              {create.isError && (
                <Alert color="red">{isApiError(create.error) ? create.error.message : 'That did not work.'}</Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={done}>
                  Cancel
                </Button>
                <Button type="submit" loading={create.isPending}>
                  Add endpoint
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
