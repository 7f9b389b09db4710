/** The sign-in calls (their schemas in src/shared/auth.ts; the rules in docs/security.md). */
import type { z } from 'zod';
import type { SignedInAnswer, signInCodeAnswer } from '../../shared/auth';
import { api, type Me } from '../api/client';

export type SignInCodeAnswer = z.output<typeof signInCodeAnswer>;

/** POST /api/auth/code: the server answers the same for every address (how long the code lives, when to resend). */
export function requestSignInCode(email: string): Promise<SignInCodeAnswer> {
  return api<SignInCodeAnswer>('/api/auth/code', { body: { email } });
}

/** POST /api/auth/verify: signs in this browser; answers the signed-in person. */
export async function verifySignInCode(input: {
  readonly email: string;
  readonly code: string;
}): Promise<Me | undefined> {
  const body = await api<SignedInAnswer | undefined>('/api/auth/verify', { body: input });
  return body?.me;
}

/** POST /api/auth/link: completes a one-time sign-in link (GET of the page never signs in). */
export async function completeSignInLink(token: string): Promise<Me | undefined> {
  const body = await api<SignedInAnswer | undefined>('/api/auth/link', { body: { token } });
  return body?.me;
}
