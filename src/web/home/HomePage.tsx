import { EmptyState, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSignedInMe } from '../shell/RequireSignIn';
import { PageHeader } from '../ui/PageHeader';

/**
 * `/` — a member's home: Recommended Communities (open invitations, newest first), then their
 * communities, then suggestions. Each section's body is a placeholder until its feature fills it.
 */
export function HomePage() {
  const me = useSignedInMe();
  return (
    <>
      <PageHeader title={me.firstName ? `Welcome, ${me.firstName}` : 'Welcome'} description="Your invitations and communities." />
      <Stack gap="lg">
        <HomeSection title="Recommended Communities" description="Communities you have been invited to, newest first.">
          <EmptyState size="sm" title="No invitations right now" description="When someone invites you to a community, it shows up here." />
        </HomeSection>
        <HomeSection title="My communities" description="Communities you have joined.">
          <EmptyState size="sm" title="You have not joined a community yet" description="Browse Communities to find one." />
        </HomeSection>
        <HomeSection title="You might like" description="Public communities open to every member.">
          <EmptyState size="sm" title="No suggestions yet" description="Suggestions appear as communities are created." />
        </HomeSection>
      </Stack>
    </>
  );
}

function HomeSection({ title, description, children }: { readonly title: string; readonly description: string; readonly children: ReactNode }) {
  const id = `home-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby={id}>
      <Title order={2} size="h4" id={id}>{title}</Title>
      <Text size="sm" c="dimmed" mb="md">{description}</Text>
      {children}
    </Paper>
  );
}
