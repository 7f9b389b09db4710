import { useState } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { useMe } from '../api/client';
import { PublicPage } from '../shell/PublicPage';
import { SsoButtons } from '../sso/SsoButtons';
import { LoadingState } from '../ui/LoadingState';
import type { SignInCodeAnswer } from './auth-api';
import { CodeStep } from './CodeStep';
import { EmailStep } from './EmailStep';
import { safeNextPath } from './next-path';

/** A code asked for, and the server's answer. */
export interface SentCode {
  readonly email: string;
  readonly answer: SignInCodeAnswer;
}

/** /sign-in: email, then the 6-digit code from the email; afterwards back to where the person was going. */
export function SignInPage() {
  const me = useMe();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  // A page that already asked for the code (the invite welcome page's "Send me a code") hands it on.
  const handed = (useLocation().state as { codeSent?: SentCode } | null)?.codeSent ?? null;
  const [sent, setSent] = useState<SentCode | null>(handed);
  const [lastEmail, setLastEmail] = useState('');

  if (me.isPending)
    return (
      <PublicPage title="Sign in">
        <LoadingState />
      </PublicPage>
    );
  if (me.data) return <Navigate to={next} replace />;
  if (sent === null) {
    return (
      <PublicPage
        title="Sign in"
        description="Enter your email address. We will email you a 6-digit code and a sign-in link — no password needed."
      >
        <EmailStep
          initialEmail={lastEmail}
          onSent={(email, answer) => {
            setLastEmail(email);
            setSent({ email, answer });
          }}
        />
        <SsoButtons next={next} />
      </PublicPage>
    );
  }
  return (
    <PublicPage title="Check your email" description="Enter the code from the email to finish signing in.">
      <CodeStep email={sent.email} answer={sent.answer} next={next} onDifferentEmail={() => setSent(null)} />
    </PublicPage>
  );
}
