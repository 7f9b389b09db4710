/** How the profile page and the unsubscribe page name each notification kind and mode. */
import type { NotificationKind, NotificationMode } from '../../shared/notifications';

export const kindWords: Record<NotificationKind, { label: string; description: string }> = {
  join_requests: {
    label: 'Requests to join my communities',
    description: 'When someone asks to join a community you lead.',
  },
  request_approved: {
    label: 'My request to join was approved',
    description: 'When a leader lets you into a community you asked to join.',
  },
  account_approved: {
    label: 'My account was approved',
    description: 'When a site admin approves your account.',
  },
  approval_queue: {
    label: 'People waiting for approval',
    description: 'A daily email listing the people waiting for a site admin, when anyone is.',
  },
};

export const modeWords: Record<NotificationMode, string> = {
  immediate: 'At once',
  daily: 'Daily digest',
  off: 'Off',
};
