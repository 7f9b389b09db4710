import { Container } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../ui/PageHeader';
import { LandingSettingsSection } from './LandingSettingsSection';

/** /communities/:id/landing — the landing section on its own page (linked from the community's settings). */
export function LandingSettingsPage() {
  const id = Number(useParams().id);
  return (
    <Container size="md" px={0}>
      <PageHeader
        title="Landing page"
        description="Switch the page on, choose who can join, share the link and see how it does."
      />
      <LandingSettingsSection communityId={id} />
    </Container>
  );
}
