/** What to tell a visitor of a landing page when a step fails, by the server's error code. */
import { ApiError } from '../api/client';
import { signInProblem, type SignInProblem } from '../auth/sign-in-errors';

const landingProblems: Partial<Record<ApiError['code'], SignInProblem>> = {
  account_pending: {
    title: 'Your account is waiting for approval',
    message: 'A site admin has to approve your account first. Nothing else is needed from you now.',
    final: true,
  },
  account_inactive: {
    title: 'Your account is waiting for an admin',
    message:
      'This account is not active. A site admin has to reactivate it; contact them if you think this is a mistake.',
    final: true,
  },
  link_invalid: {
    title: 'This link does not work',
    message: 'It may have expired or been used already. Enter your email below to get a new code.',
  },
  landing_disabled: {
    title: 'This page is not available',
    message: 'The community switched its page off. Ask whoever shared the link for a new one.',
    final: true,
  },
  unknown_member_type: { title: 'Pick a member type', message: 'Choose one of the member types in the list.' },
  validation_failed: {
    title: 'Check what you typed',
    message: 'Enter your email address, and the 6-digit code from the email.',
  },
};

/** The landing page's words first, then sign-in's for the shared code rules. */
export function landingProblem(error: unknown): SignInProblem {
  if (error instanceof ApiError && landingProblems[error.code]) return landingProblems[error.code]!;
  return signInProblem(error);
}

/** The fields the server asked for with `profile_required`, or undefined for any other error. */
export function profileRequest(error: unknown): { fields: string[]; memberTypes: string[] } | undefined {
  if (!(error instanceof ApiError) || error.code !== 'profile_required') return undefined;
  const details = (error.details ?? {}) as { fields?: unknown; memberTypes?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { fields: list(details.fields), memberTypes: list(details.memberTypes) };
}
