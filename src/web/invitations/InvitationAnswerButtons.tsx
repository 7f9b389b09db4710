import { Button } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { DeclineInvitationModal } from './DeclineInvitationModal';
import { answerDone, answerLabel } from './invitation-answers';
import { type InvitationAnswer, useAnswerInvitation } from './invitations-api';

interface InvitationAnswerButtonsProps {
  readonly community: { readonly id: number; readonly name: string; readonly privacy: string };
  /** the invitee's membership: invited (on home) or dismissed (hidden by "Not now") */
  readonly state: 'invited' | 'dismissed';
  /** announces a result that keeps the invitee on this page */
  readonly onDone: (text: string) => void;
}

/**
 * The answers besides Join on a community's page, where the invitation email leads: Not now (or
 * Show again when hidden) and Decline, asked first. A decline ends on the home page, which
 * announces it: an invite-only community's page is no longer open to the person.
 */
export function InvitationAnswerButtons({ community, state, onDone }: InvitationAnswerButtonsProps) {
  const answer = useAnswerInvitation();
  const navigate = useNavigate();
  const [declining, setDeclining] = useState(false);
  const respond = (kind: InvitationAnswer) =>
    answer.mutate(
      { communityId: community.id, answer: kind },
      {
        onSuccess: () => {
          if (kind === 'decline') navigate('/', { state: { notice: answerDone(kind, community.name) } });
          else onDone(answerDone(kind, community.name));
        },
        onError: (error) => {
          if (kind !== 'decline') onDone(isApiError(error) ? error.message : 'That did not work. Try again.');
        },
      },
    );
  const toggle: InvitationAnswer = state === 'invited' ? 'dismiss' : 'restore';
  return (
    <>
      <Button
        variant="default"
        aria-label={answerLabel(toggle, community.name)}
        loading={answer.isPending && answer.variables?.answer === toggle}
        onClick={() => respond(toggle)}
      >
        {state === 'invited' ? 'Not now' : 'Show again'}
      </Button>
      <Button
        variant="subtle"
        aria-label={answerLabel('decline', community.name)}
        onClick={() => {
          answer.reset();
          setDeclining(true);
        }}
      >
        Decline
      </Button>
      <DeclineInvitationModal
        community={declining ? community : null}
        busy={answer.isPending && answer.variables?.answer === 'decline'}
        error={answer.isError && answer.variables?.answer === 'decline' ? answer.error.message : null}
        onConfirm={() => respond('decline')}
        onCancel={() => setDeclining(false)}
      />
    </>
  );
}
