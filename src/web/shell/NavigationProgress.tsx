import { Progress } from '@mantine/core';
import { Outlet, useNavigation } from 'react-router';
import { InvitationLinkOpened } from '../insights/InvitationLinkOpened';

/**
 * The root of the route tree: the screen, plus a thin bar along the top while the next screen's
 * code loads (screens load on first visit, which can take a moment on a phone), and the note that
 * an invitation email's join link was opened.
 */
export function NavigationProgress() {
  const navigation = useNavigation();
  return (
    <>
      {navigation.state !== 'idle' && (
        <Progress
          value={100}
          animated
          size={3}
          radius={0}
          aria-label="Loading the page"
          pos="fixed"
          top={0}
          left={0}
          right={0}
          style={{ zIndex: 1000 }}
        />
      )}
      <InvitationLinkOpened />
      <Outlet />
    </>
  );
}
