import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RecommendedCommunities } from '../../shared/invitations';
import { privacyWords } from '../communities/communities-api';
import { formatDateTime } from '../ui/format';
import { answerLabel } from './invitation-answers';
import type { InvitationAnswer } from './invitations-api';

export type Invitation = RecommendedCommunities['invitations'][number];

interface InvitationCardProps {
  readonly invitation: Invitation;
  /** hidden by "Not now": Show again and Join; otherwise Not now, Decline and Join */
  readonly hidden: boolean;
  /** the answer in flight for this card, if any */
  readonly pending: InvitationAnswer | null;
  readonly onAnswer: (answer: InvitationAnswer) => void;
}

/**
 * One invitation: the community's name links to its public face (what it is, who may join, how
 * many members) before the invitee answers.
 */
export function InvitationCard({ invitation: i, hidden, pending, onAnswer }: InvitationCardProps) {
  const name = i.community.name;
  const privacy = privacyWords[i.community.privacy as keyof typeof privacyWords];
  const button = (answer: InvitationAnswer, text: string, variant: string) => (
    <Button
      variant={variant}
      aria-label={answerLabel(answer, name)}
      loading={pending === answer}
      disabled={pending !== null && pending !== answer}
      onClick={() => onAnswer(answer)}
    >
      {text}
    </Button>
  );
  return (
    <Card
      withBorder
      padding="md"
      data-testid="invitation-card"
      component="article"
      aria-label={`Invitation to ${name}`}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 280px', minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/communities/${i.community.id}`} fw={600} data-focus-target>
              {name}
            </Anchor>
            {privacy && (
              <Badge size="xs" variant="outline" color="gray">
                {privacy.label}
              </Badge>
            )}
          </Group>
          {i.community.headline && (
            <Text size="sm" c="dimmed">
              {i.community.headline}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Invited {i.invitedBy ? `by ${i.invitedBy.name} ` : ''}on {formatDateTime(i.invitedAt)}
            {i.expiresAt !== null && ` · open until ${formatDateTime(i.expiresAt)}`}
          </Text>
          {i.message && (
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-line' }} lineClamp={4}>
              “{i.message}”
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="wrap">
          {hidden ? (
            button('restore', 'Show again', 'default')
          ) : (
            <>
              {button('dismiss', 'Not now', 'default')}
              {button('decline', 'Decline', 'subtle')}
            </>
          )}
          {button('join', 'Join', 'filled')}
        </Group>
      </Group>
    </Card>
  );
}
