/** The one email field behind sign-in and every landing page: a trimmed, plausible address, or a clear message. */
import { useState, type FormEvent } from 'react';

const looksLikeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailFieldProblem(value: string): string | null {
  if (looksLikeEmail.test(value)) return null;
  return value ? 'Enter an email address like name@example.edu.' : 'Enter your email address.';
}

/** State of the field; `submit` calls `onValid` with the trimmed address, or shows why not. */
export function useEmailField(initial: () => string, onValid: (email: string) => void) {
  const [email, setEmail] = useState(initial);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    const problem = emailFieldProblem(value);
    setFieldError(problem);
    if (!problem) onValid(value);
  };
  return { email, setEmail, fieldError, submit };
}
