import { Outlet } from 'react-router';
import { PageHeader } from '../ui/PageHeader';
import { useSignedInMe } from './RequireSignIn';
import { EmptyState } from '@mantine/core';

/** Shows its child routes to site admins only. The server checks too; this only spares a confusing page. */
export function RequireAdmin() {
  const me = useSignedInMe();
  if (me.isAdmin) return <Outlet />;
  return (
    <>
      <PageHeader title="Admins only" />
      <EmptyState title="This page is for site admins" description="Ask a site admin if you need something here." />
    </>
  );
}
