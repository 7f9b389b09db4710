import { Alert, Badge, Button, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { InvitationExpiryOption } from './InvitationExpiryOption';
import { useState } from 'react';
import type { KeyType } from '../../shared/enums';
import { useDataJobAction, type DataJob } from './data-jobs.api';
import {
  initialForm,
  keyRequired,
  keyTypesFor,
  mappingFields,
  missingFields,
  toMapping,
  type MappingForm,
} from './mapping-fields';
import { SamplePreview } from './SamplePreview';
import { formatCount, keyTypeWords } from './words';

const keyTypeHelp: Readonly<Record<KeyType, string>> = {
  unique_id: 'Your institution’s own ID, from its CRM or student information system.',
  preverification_id: 'The number Convene gave a person when they were pre-verified.',
  profile_id: 'Convene’s own number for every person.',
};

/** Step 3: which column identifies the person (and what kind of ID it holds), and the other fields. */
export function MappingStep(props: {
  readonly job: DataJob;
  readonly onCancel: () => void;
  readonly onMapped: () => void;
}) {
  const { job } = props;
  const columns = job.columns ?? [];
  const [form, setForm] = useState<MappingForm>(() => initialForm(job));
  const [dismissedMemory, setDismissedMemory] = useState(false);
  const { saveMapping } = useDataJobAction(job.id);
  const columnOptions = columns.map((column, index) => ({
    value: String(index + 1),
    label: column || `Column ${index + 1}`,
  }));
  const fields = mappingFields[job.type];
  const duplicates = duplicateHeaders(columns);
  const missing = missingFields(job, form);
  const set = (name: keyof MappingForm, value: string | null) =>
    setForm((current) => ({ ...current, [name]: value ?? '' }));

  const highlighted = new Map<string, string>();
  if (form.keyColumn) highlighted.set(form.keyColumn, `Key: ${keyTypeWords[form.keyType]}`);
  for (const field of fields) {
    const column = form[field.name];
    if (column) highlighted.set(column, field.label);
  }

  return (
    <Stack gap="lg">
      <Text>
        <Text span fw={600}>
          {job.fileName}
        </Text>{' '}
        has {formatCount(job.rowCount)} {job.rowCount === 1 ? 'record' : 'records'} in {columns.length}{' '}
        {columns.length === 1 ? 'column' : 'columns'}, separated by{' '}
        <Text span fw={600} data-testid="job-delimiter">
          {delimiterWords[job.delimiter]}
        </Text>
        . Tell Convene which column is which; other columns are ignored.
      </Text>
      {columns.length === 1 && (
        <Alert color="yellow" variant="light" title="Only one column?">
          If the file has more, its columns are separated by something else: cancel this job and upload the file again,
          choosing the separator.
        </Alert>
      )}
      {duplicates.length > 0 && (
        <Alert color="yellow" variant="light" title="Columns with the same name" data-testid="duplicate-headers">
          {duplicates.map(([name, at]) => `“${name}” is the name of columns ${at.join(' and ')}`).join('; ')}. Check
          that each field below uses the column you mean.
        </Alert>
      )}

      {job.mappingRemembered && !job.mapping && !dismissedMemory && (
        <Alert
          color="blue"
          variant="light"
          title="Mapping remembered from an earlier job"
          withCloseButton
          onClose={() => setDismissedMemory(true)}
        >
          <Group justify="space-between" gap="sm">
            <Text size="sm">A file with these same headers was mapped before; its columns are chosen below.</Text>
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setForm({ keyColumn: '', keyType: 'unique_id' });
                setDismissedMemory(true);
              }}
            >
              Start from blank
            </Button>
          </Group>
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: fields.length > 0 ? 2 : 1 }} spacing="lg">
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <div>
              <Title order={3} size="h4">
                Key field
              </Title>
              <Text size="sm" c="dimmed">
                The column that identifies each person.
              </Text>
            </div>
            <Select
              label={keyRequired(job.type) ? 'Column' : 'Unique ID column'}
              description={keyRequired(job.type) ? undefined : 'Optional when an Email column is mapped.'}
              placeholder="Choose a column"
              data={columnOptions}
              value={form.keyColumn || null}
              onChange={(value) => set('keyColumn', value)}
              clearable={!keyRequired(job.type)}
              allowDeselect={false}
              required={keyRequired(job.type)}
              data-testid="key-column"
            />
            {keyTypesFor(job.type).length > 1 && (
              <Radio.Group
                label="Kind of ID in that column"
                value={form.keyType}
                onChange={(value) => set('keyType', value)}
              >
                <Stack gap="xs" mt={6}>
                  {keyTypesFor(job.type).map((keyType) => (
                    <Radio
                      key={keyType}
                      value={keyType}
                      label={
                        <Group gap={6}>
                          {keyTypeWords[keyType]}
                          {keyType === 'unique_id' && (
                            <Badge size="xs" color="green" variant="light">
                              Recommended
                            </Badge>
                          )}
                        </Group>
                      }
                      description={keyTypeHelp[keyType]}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          </Stack>
        </Paper>

        {fields.length > 0 && (
          <Paper withBorder radius="md" p="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Other fields
              </Title>
              {fields.map((field) => (
                <Select
                  key={field.name}
                  label={`${field.label} column`}
                  description={field.description}
                  placeholder={field.required ? 'Choose a column' : 'Not in this file'}
                  data={columnOptions}
                  value={form[field.name] || null}
                  onChange={(value) => set(field.name, value)}
                  required={field.required}
                  clearable={!field.required}
                  allowDeselect={!field.required}
                  data-testid={`field-${field.name}`}
                />
              ))}
            </Stack>
          </Paper>
        )}
      </SimpleGrid>

      {job.type === 'invite_to_community' && (
        <InvitationExpiryOption value={form.expiresInDays ?? ''} onChange={(value) => set('expiresInDays', value)} />
      )}

      <SamplePreview columns={columns} rows={job.sample ?? []} highlighted={highlighted} />

      {saveMapping.isError && (
        <Alert color="red" title="The mapping was not accepted" role="alert">
          {saveMapping.error.message}
        </Alert>
      )}

      <Group justify="space-between">
        <Button variant="default" onClick={props.onCancel}>
          Cancel job
        </Button>
        <Group gap="sm">
          {missing.length > 0 && (
            <Text size="sm" c="dimmed">
              Choose {missing.join(', ')}.
            </Text>
          )}
          <Button
            disabled={missing.length > 0}
            loading={saveMapping.isPending}
            onClick={() => saveMapping.mutate(toMapping(job, form), { onSuccess: props.onMapped })}
          >
            Next: check every row
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

const delimiterWords: Readonly<Record<DataJob['delimiter'], string>> = {
  ',': 'commas',
  ';': 'semicolons',
  '\t': 'tabs',
};

/** Header names used by more than one column (any case), with their 1-based column numbers. */
function duplicateHeaders(columns: readonly string[]): [string, number[]][] {
  const byName = new Map<string, { name: string; at: number[] }>();
  columns.forEach((column, index) => {
    const key = column.trim().toLowerCase();
    const entry = byName.get(key) ?? { name: column.trim(), at: [] };
    entry.at.push(index + 1);
    byName.set(key, entry);
  });
  return [...byName.values()].filter((e) => e.at.length > 1).map((e) => [e.name, e.at]);
}
