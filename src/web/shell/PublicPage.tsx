import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from './Brand';

interface PublicPageProps {
  readonly title: string;
  readonly description?: ReactNode;
  readonly children?: ReactNode;
}

/** A page for people who are not (yet) signed in: the brand on top, one card in the middle. */
export function PublicPage({ title, description, children }: PublicPageProps) {
  return (
    <Box mih="100vh" bg="gray.0">
      <title>{`${title} · Convene`}</title>
      <Box
        component="header"
        bg="white"
        px="lg"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group justify="space-between">
          <Brand />
        </Group>
      </Box>
      <Container component="main" size={460} py={56}>
        <Paper withBorder shadow="sm" p="xl">
          <Stack gap="lg">
            <Stack gap={6}>
              <Title order={1} size="h2">
                {title}
              </Title>
              {description && (
                <Text c="dimmed" size="sm">
                  {description}
                </Text>
              )}
            </Stack>
            {children}
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
