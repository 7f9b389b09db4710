import { Paper, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';

interface StatCardProps {
  readonly label: string;
  readonly value: number | undefined;
  readonly to: string;
  /** a word under the number when it asks for attention */
  readonly attention?: string;
}

/** One count that links to where its people are listed. */
export function StatCard({ label, value, to, attention }: StatCardProps) {
  const alert = attention !== undefined && (value ?? 0) > 0;
  return (
    <UnstyledButton component={Link} to={to}>
      <Paper withBorder p="md" h="100%" style={alert ? { borderColor: 'var(--mantine-color-orange-4)' } : undefined}>
        <Text size="xs" c="dimmed" fw={700} tt="uppercase">
          {label}
        </Text>
        <Text fz={28} fw={700} lh={1.3} c={alert ? 'orange.8' : undefined}>
          {value === undefined ? '—' : value.toLocaleString()}
        </Text>
        {alert && (
          <Text size="xs" c="orange.8">
            {attention}
          </Text>
        )}
      </Paper>
    </UnstyledButton>
  );
}
