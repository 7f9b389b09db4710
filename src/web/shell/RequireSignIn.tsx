import { Center, Container } from '@mantine/core';
import { createContext, use } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe, type Me } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { signInPath } from '../auth/next-path';

const MeContext = createContext<Me | null>(null);

/** The signed-in person, for screens under RequireSignIn. */
export function useSignedInMe(): Me {
  const me = use(MeContext);
  if (!me) throw new Error('useSignedInMe() is only for screens under <RequireSignIn>');
  return me;
}

/** Shows its child routes to signed-in people; sends everyone else to /sign-in and back here afterwards. */
export function RequireSignIn() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending)
    return (
      <Center mih="100vh">
        <LoadingState label="Loading Convene…" />
      </Center>
    );
  if (me.isError) {
    return (
      <Container size={460} py={80}>
        <ErrorState error={me.error} title="Convene could not be reached" onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  if (!me.data) return <Navigate to={signInPath(location)} replace />;
  return (
    <MeContext value={me.data}>
      <Outlet />
    </MeContext>
  );
}
