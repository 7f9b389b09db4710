/** What to tell a person when a sign-in step fails, by the server's error code, and what they can do next. */
import { ApiError } from '../api/client';

export interface SignInProblem {
  readonly title: string;
  readonly message: string;
  /** the next step to offer: ask for a new code, or start over with another email */
  readonly next?: 'new_code' | 'different_email';
  /** the code step is over: show only the way out */
  readonly final?: boolean;
}

const problems: Partial<Record<ApiError['code'], SignInProblem>> = {
  code_invalid: {
    title: 'That code is not right',
    message: 'Check the 6-digit code in the most recent email and type it again. Only the newest code works.',
  },
  code_expired: {
    title: 'That code has expired',
    message: 'Codes work for 10 minutes. Ask for a new code and use the newest email.',
    next: 'new_code',
  },
  code_attempts_exceeded: {
    title: 'Too many wrong codes',
    message: 'This code no longer works. Ask for a new code.',
    next: 'new_code',
    final: true,
  },
  daily_attempts_exceeded: {
    title: 'Too many wrong codes today',
    message: 'For your safety, signing in with a code is paused for this address until tomorrow.',
    next: 'different_email',
    final: true,
  },
  account_pending: {
    title: 'Your account is waiting for approval',
    message:
      'A site admin has to approve your account before you can sign in. You will get an email when that happens.',
    next: 'different_email',
    final: true,
  },
  account_inactive: {
    title: 'Your account is not active',
    message: 'This account has been deactivated. Contact a site admin if you think this is a mistake.',
    next: 'different_email',
    final: true,
  },
  sign_up_closed: {
    title: 'This site does not accept new sign-ups',
    message:
      'No account uses this email address, and new members join by invitation only. Try the address your invitation was sent to.',
    next: 'different_email',
    final: true,
  },
  sign_in_other_browser: {
    title: 'Finish in the same browser',
    message:
      'This browser has no code for that address. Use the browser where you entered your email, or ask for a new code here.',
    next: 'new_code',
  },
  link_invalid: {
    title: 'This sign-in link does not work',
    message: 'It may have expired or been used already. Ask for a new one on the sign-in page.',
  },
  rate_limited: {
    title: 'Please wait a moment',
    message: 'Too many attempts in a short time. Wait a minute, then try again.',
  },
  invalid_email: { title: 'Check the email address', message: 'That does not look like an email address.' },
  validation_failed: {
    title: 'Check what you typed',
    message: 'Enter your email address, and the 6-digit code from the email.',
  },
  network_error: { title: 'Convene could not be reached', message: 'Check your connection and try again.' },
};

/** The message for a failed sign-in call; unknown codes fall back to the server's own message. */
export function signInProblem(error: unknown): SignInProblem {
  if (error instanceof ApiError) {
    return problems[error.code] ?? { title: 'Sign-in did not work', message: error.message };
  }
  return { title: 'Sign-in did not work', message: 'Something went wrong. Try again in a moment.' };
}
