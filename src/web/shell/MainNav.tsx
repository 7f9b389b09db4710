import { NavLink as MantineNavLink, Stack, Text } from '@mantine/core';
import { NavLink, useLocation } from 'react-router';
import type { Me } from '../api/client';
import { adminNav, memberNav, type NavItem } from './nav';

/** The side navigation: member entries, then the Admin section for site admins. */
export function MainNav({ me, onNavigate }: { readonly me: Me; readonly onNavigate?: () => void }) {
  return (
    <Stack component="nav" aria-label="Main" gap={2}>
      <NavItems items={memberNav} onNavigate={onNavigate} />
      {me.isAdmin && (
        <>
          <Text id="admin-nav-heading" size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
            Admin
          </Text>
          <Stack gap={2} role="group" aria-labelledby="admin-nav-heading">
            <NavItems items={adminNav} onNavigate={onNavigate} />
          </Stack>
        </>
      )}
    </Stack>
  );
}

function NavItems({ items, onNavigate }: { readonly items: readonly NavItem[]; readonly onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return items.map((item) => {
    const active = item.end ? pathname === item.to : pathname === item.to || pathname.startsWith(`${item.to}/`);
    return (
      <MantineNavLink
        key={item.to}
        component={NavLink}
        to={item.to}
        end={item.end}
        label={item.label}
        active={active}
        aria-current={active ? 'page' : undefined}
        onClick={onNavigate}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
        fw={500}
      />
    );
  });
}
