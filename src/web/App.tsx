/**
 * The app: providers and the route table. To add a screen, add one line to the list it belongs
 * to (public, signed-in member, or site admin); the guards and the layout come with the list.
 */
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AdminCommunitiesPage } from './admin/AdminCommunitiesPage';
import { InviteWelcomePage } from './people/InviteWelcomePage';
import { MembersPage } from './admin/MembersPage';
import { PersonPage } from './admin/PersonPage';
import { SignInLinkPage } from './auth/SignInLinkPage';
import { CommunitiesPage } from './communities/CommunitiesPage';
import { CommunityPage } from './communities/CommunityPage';
import { SignInPage } from './auth/SignInPage';
import { DataJobPage } from './data-tools/DataJobPage';
import { DataJobsPage } from './data-tools/DataJobsPage';
import { NewDataJobPage } from './data-tools/NewDataJobPage';
import { EmailLogPage } from './email/EmailLogPage';
import { UnsubscribePage } from './email/UnsubscribePage';
import { AdminDashboardPage } from './dashboard/AdminDashboardPage';
import { HomePage } from './home/HomePage';
import { LandingPage } from './landing/LandingPage';
import { LandingSettingsPage } from './landing/LandingSettingsPage';
import { createQueryClient } from './query-client';
import { AppLayout } from './shell/AppLayout';
import { NotFoundPage } from './shell/NotFoundPage';
import { RequireAdmin } from './shell/RequireAdmin';
import { RequireSignIn } from './shell/RequireSignIn';
import { RouteErrorPage } from './shell/RouteErrorPage';
import { theme } from './theme';

/** Pages anyone may open, signed in or not. */
const publicRoutes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/auth/link/:token', element: <SignInLinkPage /> },
  { path: '/join/:slug', element: <LandingPage /> },
  { path: '/invite/:token', element: <InviteWelcomePage /> },
  { path: '/unsubscribe/:token', element: <UnsubscribePage /> },
];

/** Pages for signed-in people, inside the app layout (navigation, name, sign out). */
const memberRoutes: RouteObject[] = [
  { path: '/', element: <HomePage /> },
  { path: '/communities', element: <CommunitiesPage /> },
  { path: '/communities/:id', element: <CommunityPage /> },
  { path: '/communities/:id/landing', element: <LandingSettingsPage /> },
];

/** Pages for site admins only (others see "admins only"), inside the app layout. */
const adminRoutes: RouteObject[] = [
  { path: '/admin', element: <AdminDashboardPage /> },
  { path: '/admin/members', element: <MembersPage /> },
  { path: '/admin/members/:id', element: <PersonPage /> },
  { path: '/admin/communities', element: <AdminCommunitiesPage /> },
  { path: '/admin/data-tools', element: <DataJobsPage /> },
  { path: '/admin/data-tools/new', element: <NewDataJobPage /> },
  { path: '/admin/data-tools/:id', element: <DataJobPage /> },
  { path: '/admin/emails', element: <EmailLogPage /> },
];

export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      ...publicRoutes,
      {
        element: <RequireSignIn />,
        children: [{ element: <AppLayout />, children: [...memberRoutes, { element: <RequireAdmin />, children: adminRoutes }] }],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
