import { EmptyState } from '@mantine/core';
import { PageHeader } from '../ui/PageHeader';

/** A placeholder for a screen that another part of the work will provide. */
export function ComingSoonPage({ title }: { readonly title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Not available yet" description="This part of Convene is still being built." />
    </>
  );
}
