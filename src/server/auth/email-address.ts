/** Email addresses as sign-in sees them: trimmed, lower-cased, syntax-checked. */
import { z } from 'zod';
import { limits } from '../../shared/limits.js';

const emailSchema = z.email();

/** The address in its stored form (trimmed, lower-case), or undefined when it is not an email address. */
export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  if (email.length === 0 || email.length > limits.emailChars) return undefined;
  return emailSchema.safeParse(email).success ? email : undefined;
}
