import { describe, expect, it } from 'vitest';
import { testConfig } from '../testing/test-db.js';
import { signInCodeTemplate } from './sign-in.email.js';
import { registries } from '../modules.js';

const config = testConfig('sqlite::memory:', { siteName: 'Alumni <Net>' });

describe('sign_in_code email', () => {
  it('is registered under its outbox name and marked sensitive', () => {
    expect(registries.emailTemplates.sign_in_code).toBe(signInCodeTemplate);
    expect(signInCodeTemplate.sensitive).toBe(true);
  });

  it('carries the code and the link in HTML and text, escaped', () => {
    const link = 'http://localhost:3000/auth/link/abc_DEF-123';
    const mail = signInCodeTemplate.render(
      { code: '012345', link, expiresInMinutes: 10, communityName: 'Chess & <b>Go</b>' },
      config,
    );
    expect(mail.subject).toBe('012345 is your Alumni <Net> sign-in code');
    expect(mail.text).toContain('012345');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('to join Chess & <b>Go</b> on Alumni <Net>');
    expect(mail.html).toContain('012345');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('Chess &amp; &lt;b&gt;Go&lt;/b&gt; on Alumni &lt;Net&gt;');
    expect(mail.html).not.toContain('<b>Go</b>');
  });

  it('keeps the subject on one line', () => {
    const mail = signInCodeTemplate.render(
      { code: '1\r\nBcc: x@evil.example', link: 'http://x/auth/link/t', expiresInMinutes: 10, communityName: null },
      config,
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
