import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useDataJobAction, type ColumnRef, type DataJob } from './data-jobs.api';
import { columnIndex, mappingFields } from './mapping-fields';
import { OutcomeTotals } from './OutcomeTotals';
import { formatCount, jobTypeWords, keyTypeWords } from './words';

/** Step 4: what the file is, how it is mapped, and what a run would do (the dry run). */
export function ReviewStep(props: {
  readonly job: DataJob;
  readonly onChangeMapping: () => void;
  readonly onCancel: () => void;
}) {
  const { job } = props;
  const { start, rename } = useDataJobAction(job.id);
  const [name, setName] = useState(job.name ?? '');
  // The name is saved before the job starts, so the list and the log show it from the start.
  // Start is busy only while it works: the name field's own save on blur (which a click on Start
  // causes) must not disable the button under the pointer and swallow that click.
  const [naming, setNaming] = useState(false);
  const startNamed = async () => {
    setNaming(true);
    try {
      if (name.trim() !== (job.name ?? '')) await rename.mutateAsync(name.trim() || null);
    } catch {
      return; // the refused name shows under its field, and the job does not start
    } finally {
      setNaming(false);
    }
    start.mutate();
  };
  const mapping = job.mapping;
  const columns = job.columns ?? [];
  const columnName = (ref: ColumnRef | null | undefined) => {
    const index = columnIndex(columns, ref);
    return index ? `“${columns[Number(index) - 1]}”` : 'not mapped';
  };

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Paper withBorder radius="md" p="md">
          <Title order={3} size="h4" mb="xs">
            File
          </Title>
          <TextInput
            label="Job name (optional)"
            description="Shown in the list of jobs, e.g. “Spring reunion invitations”."
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.currentTarget.value)}
            onBlur={() => {
              if (name.trim() !== (job.name ?? '')) rename.mutate(name.trim() || null);
            }}
            error={rename.isError ? rename.error.message : undefined}
            mb="sm"
          />
          <Fact label="Job" value={jobTypeWords[job.type].label} />
          <Fact label="File name" value={job.fileName} />
          <Fact label="Records" value={formatCount(job.rowCount)} />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              Mapped fields
            </Title>
            <Button size="compact-sm" variant="subtle" onClick={props.onChangeMapping}>
              Change
            </Button>
          </Group>
          {mapping && (
            <>
              <Fact label={`Key field (${keyTypeWords[mapping.keyType]})`} value={columnName(mapping.keyColumn)} />
              {mappingFields[job.type].map((field) => (
                <Fact key={field.name} label={field.label} value={columnName(mapping[field.name])} />
              ))}
              {job.type === 'invite_to_community' && (
                <Fact
                  label="Invitations expire"
                  value={
                    mapping.expiresInDays === undefined
                      ? 'as the site’s setting says'
                      : mapping.expiresInDays === null
                        ? 'never'
                        : `after ${formatCount(mapping.expiresInDays)} days`
                  }
                />
              )}
            </>
          )}
        </Paper>
      </SimpleGrid>

      <Stack gap="xs">
        <Title order={3} size="h4">
          Dry run
        </Title>
        {job.dryRun ? (
          <>
            <Text size="sm" c="dimmed">
              Every row was checked and nothing was changed yet. If you start the job:
            </Text>
            <OutcomeTotals counts={job.dryRun} samples={job.dryRun.samples} columns={columns} tense="dry-run" />
          </>
        ) : (
          <Group gap="xs">
            <Loader size="sm" />
            <Text c="dimmed">Checking every row…</Text>
          </Group>
        )}
      </Stack>

      {job.type === 'invite_to_community' && (
        <Alert color="blue" variant="light">
          No email is sent by this job. Invited people find their invitations under Recommended Communities when they
          sign in.
        </Alert>
      )}

      {start.isError && (
        <Alert color="red" title="The job could not start" role="alert">
          {start.error.message}
        </Alert>
      )}

      <Group justify="space-between">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button disabled={!job.dryRun} loading={naming || start.isPending} onClick={() => void startNamed()}>
          Start
        </Button>
      </Group>
    </Stack>
  );
}

function Fact({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <Group justify="space-between" gap="md" py={4} wrap="nowrap">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} ta="right" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Group>
  );
}
