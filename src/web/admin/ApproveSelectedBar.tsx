import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { type BulkApproveAnswer, type PersonListItem, useBulkApprove } from './people-api';

const nameOf = (p: PersonListItem | undefined, id: number) =>
  (p && `${p.firstName} ${p.lastName}`.trim()) || p?.email || `Profile ID ${id}`;

/** The Pending tab's bulk action: approve the selected people, then say who was approved and who not, and why. */
export function ApproveSelectedBar(props: {
  selected: readonly number[];
  people: readonly PersonListItem[];
  onDone: (answer: BulkApproveAnswer) => void;
}) {
  const approve = useBulkApprove();
  // The names as they were when approving: approved people leave the list that is shown next.
  const [byId, setById] = useState(new Map<number, PersonListItem>());
  const answer = approve.data;
  const failed = answer?.results.filter((r) => !r.approved) ?? [];
  return (
    <>
      <Group gap="sm">
        <Button
          disabled={props.selected.length === 0}
          loading={approve.isPending}
          onClick={() => {
            setById(new Map(props.people.map((p) => [p.id, p])));
            approve.mutate([...props.selected], { onSuccess: props.onDone });
          }}
        >
          {props.selected.length ? `Approve ${props.selected.length} selected` : 'Approve selected'}
        </Button>
        <Text size="sm" c="dimmed">
          Select pending people to approve them together.
        </Text>
      </Group>
      {approve.isError && <ErrorState error={approve.error} title="Nobody was approved" />}
      {answer && (
        <Alert
          color={failed.length ? 'yellow' : 'green'}
          title={`Approved ${answer.approved} ${answer.approved === 1 ? 'person' : 'people'}${
            failed.length ? `; ${failed.length} could not be approved` : ''
          }`}
          role="status"
        >
          {failed.length > 0 && (
            <List size="sm">
              {failed.map((r) => (
                <List.Item key={r.id}>
                  {nameOf(byId.get(r.id), r.id)}: {r.error?.message}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </>
  );
}
