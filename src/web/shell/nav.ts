/** The navigation of the signed-in layout. One line per entry; admin entries show only to site admins. */
export interface NavItem {
  readonly label: string;
  readonly to: string;
  /** highlighted only on this exact path (not on its children) */
  readonly end?: boolean;
}

export const memberNav: readonly NavItem[] = [
  { label: 'Home', to: '/', end: true },
  { label: 'Communities', to: '/communities' },
];

export const adminNav: readonly NavItem[] = [
  { label: 'Dashboard', to: '/admin', end: true },
  { label: 'Members', to: '/admin/members' },
  { label: 'Communities', to: '/admin/communities' },
  { label: 'Data Tools', to: '/admin/data-tools' },
  { label: 'Email log', to: '/admin/emails' },
  { label: 'Settings', to: '/admin/settings' },
  { label: 'API tokens', to: '/admin/tokens' },
  { label: 'Single sign-on', to: '/admin/sso' },
  { label: 'Webhooks', to: '/admin/webhooks' },
  { label: 'Feeds', to: '/admin/feeds' },
];
