import { Alert, Button, Group, Paper, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { limits } from '../../shared/limits';
import type { Me } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { useSaveName } from './profile-api';

/** First and last name. People invited by address alone have none, and are shown by their address until they add one. */
export function NameForm({ me }: { readonly me: Me }) {
  const [firstName, setFirstName] = useState(me.firstName);
  const [lastName, setLastName] = useState(me.lastName);
  const save = useSaveName();
  const nameless = !me.firstName.trim() && !me.lastName.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { firstName, lastName },
      { onSuccess: () => notifications.show({ color: 'green', message: 'Your name is saved.' }) },
    );
  };
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="profile-name">
      <form onSubmit={submit}>
        <Stack gap="md">
          <Title order={2} size="h4" id="profile-name">
            Your name
          </Title>
          {nameless && (
            <Alert color="indigo" variant="light" title="Add your name">
              Until you do, people see your email address ({me.email}) wherever your name would be.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="First name"
              value={firstName}
              maxLength={limits.nameChars}
              onChange={(e) => setFirstName(e.currentTarget.value)}
              autoComplete="given-name"
            />
            <TextInput
              label="Last name"
              value={lastName}
              maxLength={limits.nameChars}
              onChange={(e) => setLastName(e.currentTarget.value)}
              autoComplete="family-name"
            />
          </SimpleGrid>
          {save.isError && <ErrorState error={save.error} title="Your name was not saved" />}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
