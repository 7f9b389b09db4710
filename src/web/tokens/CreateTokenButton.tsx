import { Alert, Button, Checkbox, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { apiTokenNameChars } from '../../shared/api-tokens';
import { apiTokenScopes, type ApiTokenScope } from '../../shared/enums';
import { isApiError } from '../api/client';
import { type ApiTokenCreated, scopeWords, useCreateApiToken } from './tokens-api';

const DAY_MS = 86_400_000;
const expiries = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
];

/** "New token": name, scopes and expiry; the token is shown once, with a copy button. */
export function CreateTokenButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const create = useCreateApiToken();
  const form = useForm({
    initialValues: { name: '', scopes: ['read'] as ApiTokenScope[], expiry: '90' },
    validate: {
      name: (v) =>
        v.trim() ? (v.length > apiTokenNameChars ? `At most ${apiTokenNameChars} characters` : null) : 'Enter a name',
      scopes: (v) => (v.length ? null : 'Choose at least one scope'),
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
      <Button onClick={open}>New token</Button>
      <Modal opened={opened} onClose={done} title={created ? 'Your new API token' : 'New API token'}>
        {created ? (
          <Stack>
            <Alert color="green" title="Copy it now">
              This token is shown only once. Send it as <code>Authorization: Bearer …</code>. If you lose it, revoke it
              and make a new one.
            </Alert>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="new-token">
              {created.token}
            </Text>
            <Group justify="flex-end">
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy token'}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={done}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <form
            onSubmit={form.onSubmit((values) =>
              create.mutate(
                {
                  name: values.name.trim(),
                  scopes: values.scopes,
                  expiresAt: values.expiry === 'never' ? null : Date.now() + Number(values.expiry) * DAY_MS,
                },
                { onSuccess: setCreated },
              ),
            )}
          >
            <Stack>
              <TextInput
                label="Name"
                description="What the token is for, e.g. the script that uses it"
                required
                data-autofocus
                {...form.getInputProps('name')}
              />
              <Checkbox.Group label="Scopes" required {...form.getInputProps('scopes')}>
                <Stack gap="xs" mt="xs">
                  {apiTokenScopes.map((scope) => (
                    <Checkbox
                      key={scope}
                      value={scope}
                      label={scopeWords[scope].label}
                      description={scopeWords[scope].description}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Select label="Expires" data={expiries} allowDeselect={false} {...form.getInputProps('expiry')} />
              {create.isError && (
                <Alert color="red">{isApiError(create.error) ? create.error.message : 'That did not work.'}</Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={done}>
                  Cancel
                </Button>
                <Button type="submit" loading={create.isPending}>
                  Create token
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
