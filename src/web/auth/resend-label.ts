import type { SignInCodeAnswer } from './auth-api';

/** The resend button's words: after another browser's code, a code for this one. */
export function resendLabel(answer: SignInCodeAnswer): string {
  return answer.delivery === 'sent_elsewhere' ? 'Send a code to this browser' : 'Send a new code';
}
