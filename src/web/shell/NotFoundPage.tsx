import { Button, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { PublicPage } from './PublicPage';

/** Any path the app does not know. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <PublicPage
      title="Page not found"
      description={`There is no page at ${pathname}. The link may be old or mistyped.`}
    >
      <Group>
        <Button component={Link} to="/">
          Go to Home
        </Button>
      </Group>
    </PublicPage>
  );
}
