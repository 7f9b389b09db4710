import { Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/client';
import { useAddMemberType, useMemberTypes } from './people-api';

/** The site's member types (Alumni, Student, …): listed and added here; matched ignoring case and spaces. */
export function MemberTypesButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const types = useMemberTypes();
  const add = useAddMemberType();
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) add.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  return (
    <>
      <Button variant="default" onClick={open}>
        Member types
      </Button>
      <Modal opened={opened} onClose={close} title="Member types">
        <Stack>
          <Text size="sm" c="dimmed">
            Imports and sign-up forms match these names ignoring case and spaces.
          </Text>
          <Group gap="xs">
            {(types.data?.items ?? []).map((t) => (
              <Badge key={t.id} variant="light" size="lg">
                {t.name}
              </Badge>
            ))}
            {types.data?.items.length === 0 && <Text size="sm">No member types yet.</Text>}
          </Group>
          <form onSubmit={submit}>
            <Group align="flex-end">
              <TextInput
                label="New member type"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                style={{ flex: 1 }}
                error={add.isError ? (isApiError(add.error) ? add.error.message : 'That did not work.') : undefined}
              />
              <Button type="submit" loading={add.isPending}>
                Add
              </Button>
            </Group>
          </form>
        </Stack>
      </Modal>
    </>
  );
}
