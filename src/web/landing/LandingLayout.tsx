import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { LandingPage } from '../../shared/landing';
import { LogoMark } from '../shell/LogoMark';

interface LandingLayoutProps {
  readonly page: LandingPage;
  readonly children: ReactNode;
}

/**
 * A community's public page: the site's name, the community's name, headline and description,
 * then the one step the visitor is on. Plain markup and at most one image (the logo or cover an
 * admin uploaded, with its own size so nothing moves as it loads), so it is quick on a phone.
 */
export function LandingLayout({ page, children }: LandingLayoutProps) {
  const { community } = page;
  return (
    <Box mih="100vh" bg="gray.0">
      <title>{`${community.name} · ${page.siteName}`}</title>
      <Box
        component="header"
        bg="white"
        px="lg"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap={10} wrap="nowrap">
          <LogoMark size={26} />
          <Text fw={600} c="dark.6" truncate>
            {page.siteName}
          </Text>
        </Group>
      </Box>
      <Container component="main" size={520} px="md" py={{ base: 24, sm: 48 }}>
        <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }}>
          <Stack gap="lg">
            {community.image && (
              <img
                src={community.image.url}
                alt={community.image.alt}
                width={community.image.width}
                height={community.image.height}
                data-testid="landing-image"
                style={{
                  display: 'block',
                  maxWidth: '100%',
                  maxHeight: 200,
                  width: 'auto',
                  height: 'auto',
                  margin: '0 auto',
                  objectFit: 'contain',
                }}
              />
            )}
            <Stack gap={8}>
              <Title order={1} size="h2">
                {community.name}
              </Title>
              {community.headline && (
                <Text size="lg" c="dark.5">
                  {community.headline}
                </Text>
              )}
              {community.memberCount !== null && (
                <Text size="sm" fw={600} c="indigo.9">
                  {community.memberCount === 1 ? '1 member' : `${community.memberCount.toLocaleString()} members`}
                </Text>
              )}
              {community.description && (
                <Text size="sm" c="dark.4" style={{ whiteSpace: 'pre-line' }}>
                  {community.description}
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

/** The friendly page for a landing page that is switched off or does not exist. */
export function LandingUnavailable({ siteName }: { readonly siteName?: string }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <title>Page not available</title>
      <Container component="main" size={520} px="md" py={48}>
        <Paper withBorder shadow="sm" p="xl">
          <Stack gap="sm">
            <Title order={1} size="h2">
              This page is not available
            </Title>
            <Text c="dark.4">
              The community may have switched its page off, or the link may be old or mistyped. Ask whoever shared it
              for a new link
              {siteName ? `, or sign in to ${siteName}.` : ', or sign in.'}
            </Text>
            <Text component="a" href="/sign-in" c="indigo.8" fw={600} td="underline">
              Sign in
            </Text>
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
