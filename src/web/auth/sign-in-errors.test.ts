import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { signInProblem } from './sign-in-errors';

const codes = [
  'code_invalid',
  'code_expired',
  'code_attempts_exceeded',
  'daily_attempts_exceeded',
  'account_pending',
  'account_inactive',
  'sign_up_closed',
  'sign_in_other_browser',
  'link_invalid',
  'rate_limited',
  'network_error',
] as const;

describe('signInProblem', () => {
  it.each(codes)('has its own words for %s', (code) => {
    const problem = signInProblem(new ApiError(400, code, 'server words'));
    expect(problem.message).not.toBe('server words');
    expect(problem.title.length).toBeGreaterThan(5);
  });

  it('offers a new code when the code ran out, and another email when the account cannot sign in', () => {
    expect(signInProblem(new ApiError(400, 'code_expired', '')).next).toBe('new_code');
    expect(signInProblem(new ApiError(403, 'account_pending', '')).next).toBe('different_email');
  });

  it('falls back to the server’s message for other codes', () => {
    expect(signInProblem(new ApiError(409, 'conflict', 'Something specific.')).message).toBe('Something specific.');
  });
});
