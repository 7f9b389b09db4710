import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPath } from './next-path';

describe('signInPath', () => {
  it('carries where the person was going, encoded', () => {
    expect(signInPath({ pathname: '/admin/emails', search: '?state=failed', hash: '' })).toBe(
      '/sign-in?next=%2Fadmin%2Femails%3Fstate%3Dfailed',
    );
  });
  it('leaves out home', () => {
    expect(signInPath({ pathname: '/', search: '', hash: '' })).toBe('/sign-in');
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/admin/emails?state=failed')).toBe('/admin/emails?state=failed');
  });
  it.each([
    ['missing', null],
    ['empty', ''],
    ['another origin', 'https://evil.example/'],
    ['protocol-relative', '//evil.example/'],
    ['backslash trick', '/\\evil.example/'],
    ['relative', 'admin'],
    ['back to sign-in', '/sign-in?next=/x'],
    ['a sign-in link', '/auth/link/abc'],
  ])('sends %s targets home', (_label, next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});
