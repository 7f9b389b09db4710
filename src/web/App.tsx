/**
 * The app: providers and the route table. To add a screen, add one line to the list it belongs
 * to (public, signed-in member, or site admin); the guards and the layout come with the list.
 *
 * Every screen is loaded on first visit (`lazy: screen(() => import('./x/FooPage'), 'FooPage')`), so
 * a phone opening /join/:slug downloads the landing page and the shared core, never the admin screens.
 */
import { Center, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, useState } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { createQueryClient } from './query-client';
import { NavigationProgress } from './shell/NavigationProgress';
import { RequireAdmin } from './shell/RequireAdmin';
import { RequireSignIn } from './shell/RequireSignIn';
import { RouteErrorPage } from './shell/RouteErrorPage';
import { theme } from './theme';
import { LoadingState } from './ui/LoadingState';

/** A route's `lazy`: loads the module on first visit and shows its export `name`. */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

/** Pages anyone may open, signed in or not. */
const publicRoutes: RouteObject[] = [
  { path: '/sign-in', lazy: screen(() => import('./auth/SignInPage'), 'SignInPage') },
  { path: '/auth/link/:token', lazy: screen(() => import('./auth/SignInLinkPage'), 'SignInLinkPage') },
  { path: '/join/:slug', lazy: screen(() => import('./landing/LandingPage'), 'LandingPage') },
  { path: '/invite/:token', lazy: screen(() => import('./people/InviteWelcomePage'), 'InviteWelcomePage') },
  { path: '/unsubscribe/:token', lazy: screen(() => import('./email/UnsubscribePage'), 'UnsubscribePage') },
  {
    path: '/notifications/unsubscribe/:token',
    lazy: screen(() => import('./profile/NotificationUnsubscribePage'), 'NotificationUnsubscribePage'),
  },
];

/** Pages for signed-in people, inside the app layout (navigation, name, sign out). */
const memberRoutes: RouteObject[] = [
  { path: '/', lazy: screen(() => import('./home/HomePage'), 'HomePage') },
  { path: '/communities', lazy: screen(() => import('./communities/CommunitiesPage'), 'CommunitiesPage') },
  { path: '/profile', lazy: screen(() => import('./profile/ProfilePage'), 'ProfilePage') },
  { path: '/communities/:id', lazy: screen(() => import('./communities/CommunityPage'), 'CommunityPage') },
  {
    path: '/communities/:id/landing',
    lazy: screen(() => import('./landing/LandingSettingsPage'), 'LandingSettingsPage'),
  },
];

/** Pages for site admins only (others see "admins only"), inside the app layout. */
const adminRoutes: RouteObject[] = [
  { path: '/admin', lazy: screen(() => import('./dashboard/AdminDashboardPage'), 'AdminDashboardPage') },
  { path: '/admin/members', lazy: screen(() => import('./admin/MembersPage'), 'MembersPage') },
  { path: '/admin/members/:id', lazy: screen(() => import('./admin/PersonPage'), 'PersonPage') },
  { path: '/admin/communities', lazy: screen(() => import('./admin/AdminCommunitiesPage'), 'AdminCommunitiesPage') },
  { path: '/admin/data-tools', lazy: screen(() => import('./data-tools/DataJobsPage'), 'DataJobsPage') },
  { path: '/admin/data-tools/new', lazy: screen(() => import('./data-tools/NewDataJobPage'), 'NewDataJobPage') },
  { path: '/admin/data-tools/:id', lazy: screen(() => import('./data-tools/DataJobPage'), 'DataJobPage') },
  { path: '/admin/emails', lazy: screen(() => import('./email/EmailLogPage'), 'EmailLogPage') },
];

export const routes: RouteObject[] = [
  {
    element: <NavigationProgress />,
    errorElement: <RouteErrorPage />,
    // shown while the first screen's code loads
    hydrateFallbackElement: (
      <Center mih="100vh">
        <LoadingState label="Loading Convene…" />
      </Center>
    ),
    children: [
      ...publicRoutes,
      {
        element: <RequireSignIn />,
        children: [
          {
            lazy: screen(() => import('./shell/AppLayout'), 'AppLayout'),
            children: [...memberRoutes, { element: <RequireAdmin />, children: adminRoutes }],
          },
        ],
      },
      { path: '*', lazy: screen(() => import('./shell/NotFoundPage'), 'NotFoundPage') },
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
