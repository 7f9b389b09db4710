/** Where to go after signing in: carried as ?next= so that it survives a reload of /sign-in. */
import type { Location } from 'react-router';

/** /sign-in?next=<here> (plain /sign-in when here is home). */
export function signInPath(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const here = `${location.pathname}${location.search}${location.hash}`;
  return here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`;
}

/** The ?next= target if it is a path on this site, else home (never another origin). */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/sign-in') || next.startsWith('/auth/')) return '/';
  return next;
}
