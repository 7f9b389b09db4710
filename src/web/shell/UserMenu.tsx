import { Avatar, Button, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { Me } from '../api/client';
import { useSignOut } from '../auth/use-sign-out';

/** The signed-in person's name, with their profile (name and notifications) and Sign out. */
export function UserMenu({ me }: { readonly me: Me }) {
  const signOut = useSignOut();
  const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || me.email || 'Your account';
  const initials =
    `${me.firstName.slice(0, 1)}${me.lastName.slice(0, 1)}`.toUpperCase() ||
    (me.email ?? '?').slice(0, 1).toUpperCase();
  return (
    <Group gap="sm" wrap="nowrap">
      <Menu position="bottom-end" width={240} withinPortal>
        <Menu.Target>
          {/* Named by its words (the initials are decoration), so its name holds what it shows. */}
          <UnstyledButton>
            <Group gap={8} wrap="nowrap">
              <Avatar size={32} radius="xl" color="indigo" aria-hidden>
                {initials}
              </Avatar>
              <VisuallyHidden>Account: </VisuallyHidden>
              <Text size="sm" fw={500} visibleFrom="sm" truncate maw={200}>
                {name}
              </Text>
              <VisuallyHidden hiddenFrom="sm">{name}</VisuallyHidden>
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Signed in as</Menu.Label>
          <Text size="sm" px="sm" pb="xs" truncate>
            {me.email}
          </Text>
          <Menu.Divider />
          <Menu.Item component={Link} to="/profile">
            {me.firstName || me.lastName ? 'Profile and notifications' : 'Add your name'}
          </Menu.Item>
          <Menu.Item onClick={() => signOut.mutate()}>Sign out</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending} visibleFrom="sm">
        Sign out
      </Button>
    </Group>
  );
}
