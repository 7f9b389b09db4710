import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import type {
  LandingPage as LandingPageData,
  LandingProfileNeeded,
  LandingResult,
  LandingVisitAnswer,
} from '../../shared/landing';
import { landingOutcomes } from '../../shared/landing';
import { SsoButtons } from '../sso/SsoButtons';
import { isApiError, useMe } from '../api/client';
import type { SignInCodeAnswer } from '../auth/auth-api';
import { emailFromUrl } from '../auth/email-from-url';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import {
  fetchLandingPage,
  followLandingLink,
  landingPageKey,
  type ProfileInput,
  verifyLandingCode,
} from './landing-api';
import { LandingCodeStep } from './LandingCodeStep';
import { LandingEmailStep } from './LandingEmailStep';
import { LandingLayout, LandingUnavailable } from './LandingLayout';
import { LandingLinkStep } from './LandingLinkStep';
import { LandingOutcome } from './LandingOutcome';
import { LandingSignedInStep } from './LandingSignedInStep';

// The profile step (new people only) brings Mantine's Select and its popover code, most of this
// page's own code: it loads once the visitor has given an email, not with the page.
const loadProfileStep = () => import('./LandingProfileStep');
const LandingProfileStep = lazy(() => loadProfileStep().then((m) => ({ default: m.LandingProfileStep })));

type Step =
  | { readonly kind: 'email' }
  | { readonly kind: 'code'; readonly email: string; readonly answer: SignInCodeAnswer }
  | { readonly kind: 'link'; readonly token: string }
  | {
      readonly kind: 'profile';
      readonly fields: LandingProfileNeeded['fields'];
      readonly memberTypes: string[];
      readonly required: boolean;
      readonly submit: (p: ProfileInput) => Promise<LandingVisitAnswer>;
    }
  | { readonly kind: 'done'; readonly result: LandingResult }
  | { readonly kind: 'sso'; readonly outcome: LandingResult['outcome']; readonly communityId: number };

/** Back from an identity provider: `?sso=<outcome>&community=<id>` (the server finished the visit). */
function ssoOutcomeOf(search: string): Step | null {
  const params = new URLSearchParams(search);
  const outcome = landingOutcomes.find((o) => o === params.get('sso'));
  const communityId = Number(params.get('community'));
  return outcome && Number.isInteger(communityId) && communityId > 0 ? { kind: 'sso', outcome, communityId } : null;
}

/** The token of an emailed link rides in the fragment (`#link=…`): browsers never send it to a server. */
function linkTokenOf(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('link');
  return token && /^[A-Za-z0-9_-]{10,200}$/.test(token) ? token : null;
}

/** /join/:slug — a community's public landing page: email, code (or link), name if new, joined. */
export function LandingPage() {
  const { slug = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const [otherEmail, setOtherEmail] = useState(false);
  // An invitation email links here with #email=…; the fragment leaves the address bar below, so
  // the address is read once, before that.
  const [emailFromLink] = useState(() => emailFromUrl(location));
  const [step, setStep] = useState<Step>(() => {
    const token = linkTokenOf(location.hash);
    return token ? { kind: 'link', token } : (ssoOutcomeOf(location.search) ?? { kind: 'email' });
  });
  const page = useQuery({
    queryKey: landingPageKey(slug),
    queryFn: ({ signal }) => fetchLandingPage(slug, signal),
    retry: (count, error) => !isApiError(error) || (error.status >= 500 && count < 2),
    staleTime: 60_000,
  });

  // A link opened while the page is already showing; then the token leaves the address bar (and history).
  useEffect(() => {
    if (!location.hash) return;
    const token = linkTokenOf(location.hash);
    if (token)
      setStep((current) => (current.kind === 'link' && current.token === token ? current : { kind: 'link', token }));
    navigate(location.pathname, { replace: true });
  }, [location.hash, location.pathname, navigate]);

  useEffect(() => {
    if (step.kind === 'code' || step.kind === 'link') void loadProfileStep();
  }, [step.kind]);

  if (page.isPending) return <LoadingState label="Loading the page…" minHeight="100vh" />;
  if (page.isError) {
    if (isApiError(page.error, 'landing_disabled', 'not_found')) return <LandingUnavailable />;
    return <ErrorState error={page.error} onRetry={() => page.refetch()} />;
  }
  const data = page.data;
  // An old address of the page: move to the current one.
  if (data.slug !== slug) return <Navigate to={`/join/${data.slug}`} replace />;

  const done = async (result: LandingResult) => {
    if (result.signedIn) {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'landing' });
    }
    // The page's member count now includes the visitor (the server counts live; a refetch here
    // would count as another visit of the page, so the shown count is moved on instead).
    if (result.outcome === 'joined') {
      queryClient.setQueryData<LandingPageData>(landingPageKey(slug), (old) =>
        old && old.community.memberCount !== null
          ? { ...old, community: { ...old.community, memberCount: old.community.memberCount + 1 } }
          : old,
      );
    }
    setStep({ kind: 'done', result });
  };
  const startOver = () => setStep({ kind: 'email' });

  let body;
  switch (step.kind) {
    case 'email':
      body =
        me.data && !otherEmail ? (
          <LandingSignedInStep page={data} me={me.data} onDone={done} onOtherEmail={() => setOtherEmail(true)} />
        ) : (
          <>
            <LandingEmailStep
              page={data}
              initialEmail={emailFromLink}
              onSent={(email, answer) => setStep({ kind: 'code', email, answer })}
            />
            <SsoButtons landing={data.slug} />
          </>
        );
      break;
    case 'code':
      body = (
        <LandingCodeStep
          page={data}
          email={step.email}
          answer={step.answer}
          onDone={done}
          onDifferentEmail={startOver}
          onProfileNeeded={(code, request) =>
            setStep({
              kind: 'profile',
              ...request,
              submit: (p) => verifyLandingCode(data.slug, { email: step.email, code, ...p }),
            })
          }
        />
      );
      break;
    case 'link':
      body = (
        <LandingLinkStep
          page={data}
          token={step.token}
          onDone={done}
          onStartOver={startOver}
          onProfileNeeded={(request) =>
            setStep({
              kind: 'profile',
              ...request,
              submit: (p) => followLandingLink(data.slug, { token: step.token, ...p }),
            })
          }
        />
      );
      break;
    case 'profile':
      body = (
        <Suspense fallback={<LoadingState />}>
          <LandingProfileStep
            page={data}
            fields={step.fields}
            memberTypes={step.memberTypes}
            required={step.required}
            submit={step.submit}
            onDone={done}
            onProfileNeeded={(request) => setStep({ ...step, ...request })}
          />
        </Suspense>
      );
      break;
    case 'done':
      body = <LandingOutcome page={data} result={step.result} />;
      break;
    case 'sso':
      body = (
        <LandingOutcome
          page={data}
          result={{
            outcome: step.outcome,
            signedIn: step.outcome !== 'pending_approval',
            communityId: step.communityId,
            communityName: data.community.name,
            created: false,
          }}
        />
      );
      break;
  }
  return <LandingLayout page={data}>{body}</LandingLayout>;
}
