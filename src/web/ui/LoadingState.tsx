import { Center, Loader, Stack, Text } from '@mantine/core';

/** A centred spinner with words, announced to screen readers. */
export function LoadingState({
  label = 'Loading…',
  minHeight = 160,
}: {
  readonly label?: string;
  readonly minHeight?: number | string;
}) {
  return (
    <Center mih={minHeight} role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="md" aria-hidden />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}
