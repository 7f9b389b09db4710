import { Button, Group } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { PublicPage } from './PublicPage';

/** A screen crashed while rendering: say so plainly and offer a reload (details go to the console). */
export function RouteErrorPage() {
  const error = useRouteError();
  console.error(error);
  const status = isRouteErrorResponse(error) ? error.status : undefined;
  return (
    <PublicPage
      title={status === 404 ? 'Page not found' : 'Something went wrong'}
      description="This page stopped working. Reload it to try again; if it keeps happening, tell a site admin."
    >
      <Group>
        <Button onClick={() => window.location.reload()}>Reload</Button>
        <Button variant="default" component="a" href="/">
          Go to Home
        </Button>
      </Group>
    </PublicPage>
  );
}
