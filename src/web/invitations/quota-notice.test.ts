import { describe, expect, it } from 'vitest';
import { quotaNotice } from './quota-notice';

const quota = { limit: 500, used: 497, remaining: 3 };

describe('quota notice', () => {
  it('says how many invitation emails are left today', () => {
    expect(quotaNotice(quota, 2, true)).toEqual({ text: '3 invitation emails left today', blocked: false });
    expect(quotaNotice({ limit: 1, used: 0, remaining: 1 }, 1, true)?.text).toBe('1 invitation email left today');
    expect(quotaNotice(undefined, 2, true)).toBeNull();
  });

  it('blocks a batch that could send more emails than are left, unless sending is off', () => {
    expect(quotaNotice(quota, 5, true)).toEqual({
      text: '3 invitation emails left today: this batch could send 5 invitation emails. Remove 2 recipients, or switch off sending emails.',
      blocked: true,
    });
    expect(quotaNotice(quota, 5, false)?.blocked).toBe(false);
  });
});
