import { Group, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useSite } from '../api/site';
import { LogoMark } from './LogoMark';

/** "Convene" with the site's name, linking home. `compact` hides the site name on narrow screens. */
export function Brand({ compact = false }: { readonly compact?: boolean }) {
  const site = useSite();
  const siteName = site.data?.name && site.data.name !== 'Convene' ? site.data.name : undefined;
  return (
    <UnstyledButton component={Link} to="/" aria-label={siteName ? `Convene, ${siteName}: home` : 'Convene: home'}>
      <Group gap={10} wrap="nowrap">
        <LogoMark size={30} />
        <Text fw={700} size="lg" c="indigo.8">
          Convene
        </Text>
        {siteName && (
          <Group gap={10} wrap="nowrap" visibleFrom={compact ? 'sm' : undefined}>
            <Text c="gray.4" aria-hidden>
              |
            </Text>
            <Text fw={500} c="dark.4" truncate maw={260}>
              {siteName}
            </Text>
          </Group>
        )}
      </Group>
    </UnstyledButton>
  );
}
