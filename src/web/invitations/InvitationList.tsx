import { EmptyState, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/client';
import { DeclineInvitationModal } from './DeclineInvitationModal';
import { type Invitation, InvitationCard } from './InvitationCard';
import { answerDone } from './invitation-answers';
import { type InvitationAnswer, useAnswerInvitation } from './invitations-api';

interface InvitationListProps {
  readonly invitations: readonly Invitation[];
  /** the list of invitations hidden by "Not now" */
  readonly hidden?: boolean;
  readonly empty: { readonly title: string; readonly description: string };
}

type Status = { readonly kind: 'done' | 'error'; readonly text: string };

/**
 * Invitation cards with their answers. Decline asks first. After an answer the card leaves the
 * list: the result is announced (a polite live region) and focus moves to the next card's name,
 * or to the announcement when no card is left.
 */
export function InvitationList({ invitations, hidden = false, empty }: InvitationListProps) {
  const answer = useAnswerInvitation();
  const [status, setStatus] = useState<Status | null>(null);
  const [declining, setDeclining] = useState<Invitation | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (focusIndex === null) return;
    const targets = listRef.current?.querySelectorAll<HTMLElement>('[data-focus-target]') ?? [];
    (targets[Math.min(focusIndex, targets.length - 1)] ?? statusRef.current)?.focus();
    setFocusIndex(null);
  }, [focusIndex, invitations]);

  const respond = (invitation: Invitation, kind: InvitationAnswer) => {
    const index = invitations.findIndex((i) => i.community.id === invitation.community.id);
    answer.mutate(
      { communityId: invitation.community.id, answer: kind },
      {
        onSuccess: () => {
          setDeclining(null);
          setStatus({ kind: 'done', text: answerDone(kind, invitation.community.name) });
          setFocusIndex(Math.max(index, 0));
        },
        onError: (error) => {
          const text = isApiError(error) ? error.message : 'That did not work. Try again.';
          if (kind !== 'decline') setStatus({ kind: 'error', text });
        },
      },
    );
  };

  const openDecline = (invitation: Invitation) => {
    answer.reset();
    setDeclining(invitation);
  };

  const pendingFor = (invitation: Invitation): InvitationAnswer | null =>
    answer.isPending && answer.variables?.communityId === invitation.community.id ? answer.variables.answer : null;

  return (
    <div>
      <Text
        ref={statusRef}
        role="status"
        tabIndex={-1}
        size="sm"
        c={status?.kind === 'error' ? 'red' : undefined}
        mb={status ? 'sm' : 0}
        data-testid={hidden ? 'hidden-invitations-status' : 'invitations-status'}
      >
        {status?.text}
      </Text>
      {invitations.length === 0 ? (
        <EmptyState size="sm" title={empty.title} description={empty.description} />
      ) : (
        <Stack gap="sm" ref={listRef}>
          {invitations.map((i) => (
            <InvitationCard
              key={i.community.id}
              invitation={i}
              hidden={hidden}
              pending={pendingFor(i)}
              onAnswer={(kind) => (kind === 'decline' ? openDecline(i) : respond(i, kind))}
            />
          ))}
        </Stack>
      )}
      <DeclineInvitationModal
        community={declining && { name: declining.community.name, privacy: declining.community.privacy }}
        busy={answer.isPending && answer.variables?.answer === 'decline'}
        error={
          answer.isError && answer.variables?.answer === 'decline'
            ? isApiError(answer.error)
              ? answer.error.message
              : 'That did not work. Try again.'
            : null
        }
        onConfirm={() => declining && respond(declining, 'decline')}
        onCancel={() => setDeclining(null)}
      />
    </div>
  );
}
