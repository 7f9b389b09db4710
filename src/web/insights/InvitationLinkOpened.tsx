/**
 * An invitation email's join link carries `?inv=…`: the page it opens tells the server (its first
 * opening is the funnel's "opened"; the server ignores the rest). Once per token per page load.
 */
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { invitationLinkParam } from '../../shared/insights';
import { api } from '../api/client';

const told = new Set<string>();

export function InvitationLinkOpened() {
  const { search } = useLocation();
  useEffect(() => {
    const token = new URLSearchParams(search).get(invitationLinkParam);
    if (!token || told.has(token)) return;
    told.add(token);
    // a failure is nobody's business: the page works the same
    api('/api/invitation-links/opened', { method: 'POST', body: { token } }).catch(() => undefined);
  }, [search]);
  return null;
}
