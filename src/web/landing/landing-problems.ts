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
    title: 'Your account is switched off',
    message:
      "A site admin switched this account off, so it cannot join or sign in. To use it again, contact the site's admins (or the community's leaders, who can reach them).",
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
