import { AppShell, Burger, Button, Container, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from 'react-router';
import { useSignOut } from '../auth/use-sign-out';
import { useSignedInMe } from './RequireSignIn';
import { Brand } from './Brand';
import { MainNav } from './MainNav';
import { UserMenu } from './UserMenu';

/** The signed-in layout: brand and account on top, navigation on the side, the screen in the middle. */
export function AppLayout() {
  const me = useSignedInMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const signOut = useSignOut();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
      bg="gray.0"
    >
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Brand compact />
          </Group>
          <UserMenu me={me} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section grow>
          <MainNav me={me} onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Text size="sm" fw={500} px="sm" truncate>
            {me.email}
          </Text>
          <Button
            variant="subtle"
            color="gray"
            fullWidth
            justify="flex-start"
            mt={4}
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
          >
            Sign out
          </Button>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Container size="lg" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
