import { Alert, Button, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { limits } from '../../shared/limits';
import { isApiError } from '../api/client';
import { useAddPerson, useMemberTypes } from './people-api';

/** "Add one": pre-verifies a single person and shows their personal invite URL once. */
export function AddPersonButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const add = useAddPerson();
  const types = useMemberTypes();
  const form = useForm({
    initialValues: { email: '', uniqueId: '', firstName: '', lastName: '', memberType: '' },
    validate: {
      firstName: (v) =>
        v.trim()
          ? v.length > limits.nameChars
            ? `At most ${limits.nameChars} characters`
            : null
          : 'Enter a first name',
      lastName: (v) =>
        v.trim()
          ? v.length > limits.nameChars
            ? `At most ${limits.nameChars} characters`
            : null
          : 'Enter a last name',
      email: (v, values) => (!v.trim() && !values.uniqueId.trim() ? 'Enter an email or a Unique ID (or both)' : null),
    },
  });
  const done = () => {
    close();
    setInviteUrl(null);
    form.reset();
    add.reset();
  };

  return (
    <>
      <Button onClick={open}>Add one</Button>
      <Modal opened={opened} onClose={done} title="Pre-verify a person">
        {inviteUrl ? (
          <Stack>
            <Alert color="green" title="Pre-verified">
              The person can sign in with their email, or through this personal invite URL. It is shown only now; you
              can make a new one from their page.
            </Alert>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="invite-url">
              {inviteUrl}
            </Text>
            <Group justify="flex-end">
              <CopyButton value={inviteUrl}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy invite URL'}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={done}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <form
            onSubmit={form.onSubmit((values) =>
              add.mutate(
                { ...values, memberType: values.memberType || undefined },
                {
                  onSuccess: (res) => setInviteUrl(res.inviteUrl),
                  onError: (error) => {
                    if (isApiError(error, 'email_taken')) form.setFieldError('email', error.message);
                    else if (isApiError(error, 'unique_id_taken')) form.setFieldError('uniqueId', error.message);
                  },
                },
              ),
            )}
          >
            <Stack>
              <Group grow>
                <TextInput label="First name" required {...form.getInputProps('firstName')} />
                <TextInput label="Last name" required {...form.getInputProps('lastName')} />
              </Group>
              <TextInput
                label="Email"
                type="email"
                description="The address they will sign in with"
                {...form.getInputProps('email')}
              />
              <TextInput
                label="Unique ID"
                description="Your institution’s ID (student or alumni ID)"
                {...form.getInputProps('uniqueId')}
              />
              <Select
                label="Member type"
                clearable
                data={(types.data?.items ?? []).map((t) => t.name)}
                {...form.getInputProps('memberType')}
              />
              {add.isError && !isApiError(add.error, 'email_taken', 'unique_id_taken') && (
                <Alert color="red">{isApiError(add.error) ? add.error.message : 'That did not work.'}</Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={done}>
                  Cancel
                </Button>
                <Button type="submit" loading={add.isPending}>
                  Pre-verify
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
