import { Alert, Badge, Button, Checkbox, Group, Progress, Select, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css'; // only the Data Tools upload uses Dropzone: its styles load with this screen
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { DataJobType } from '../../shared/enums';
import { ApiError } from '../api/client';
import type { DataJob } from './data-jobs.api';
import { type DelimiterChoice, uploadDataJob } from './upload';

const delimiterOptions: { value: DelimiterChoice; label: string }[] = [
  { value: 'auto', label: 'Detect automatically' },
  { value: 'comma', label: 'Commas ( , )' },
  { value: 'semicolon', label: 'Semicolons ( ; )' },
  { value: 'tab', label: 'Tabs' },
];
import { jobTypeWords } from './words';

/**
 * Step 2: the file. It is sent as soon as it is dropped or picked; the server checks it while it
 * arrives and either answers with the new job or refuses the whole file, naming the line.
 */
export function UploadStep(props: {
  readonly type: DataJobType;
  /** the separator chosen before (coming back to change it) */
  readonly delimiter?: DelimiterChoice;
  readonly onBack: () => void;
  readonly onUploaded: (job: DataJob) => void;
}) {
  const [firstRowIsData, setFirstRowIsData] = useState(false);
  const [delimiter, setDelimiter] = useState<DelimiterChoice>(props.delimiter ?? 'auto');
  const [fileName, setFileName] = useState<string | null>(null);
  const [sent, setSent] = useState(0);
  const upload = useMutation({
    mutationFn: (file: File) =>
      uploadDataJob({ type: props.type, hasHeader: !firstRowIsData, delimiter, file, onProgress: setSent }),
    onSuccess: props.onUploaded,
  });

  const onDrop = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    setFileName(file.name);
    setSent(0);
    upload.mutate(file);
  };

  return (
    <Stack gap="lg">
      <Text>
        <Text span fw={600}>
          {jobTypeWords[props.type].label}
        </Text>{' '}
        — the file needs: {jobTypeWords[props.type].columns}
      </Text>

      <Checkbox
        label="The first row is data (the file has no header row)"
        description="Leave unchecked when the first row holds column names such as “Community ID” and “Unique ID”."
        checked={firstRowIsData}
        onChange={(event) => setFirstRowIsData(event.currentTarget.checked)}
        disabled={upload.isPending}
      />

      <Select
        label="Columns are separated by"
        description="Convene detects commas, semicolons and tabs; choose one if the columns come out wrong."
        data={delimiterOptions}
        value={delimiter}
        onChange={(value) => setDelimiter((value as DelimiterChoice | null) ?? 'auto')}
        allowDeselect={false}
        disabled={upload.isPending}
        w={{ base: '100%', sm: 360 }}
      />

      <Dropzone onDrop={onDrop} multiple={false} loading={upload.isPending} radius="md" data-testid="csv-dropzone">
        <Stack align="center" gap={4} py="xl" style={{ pointerEvents: 'none' }}>
          <Dropzone.Accept>
            <Text fw={600}>Drop the file to upload it</Text>
          </Dropzone.Accept>
          <Dropzone.Reject>
            <Text fw={600} c="red">
              Drop one file only
            </Text>
          </Dropzone.Reject>
          <Dropzone.Idle>
            <Text fw={600} size="lg">
              Drag a CSV file here, or click to choose one
            </Text>
          </Dropzone.Idle>
          <Text size="sm" c="dimmed" ta="center">
            UTF-8; separated by commas, semicolons or tabs; text in double quotes where needed. Up to 2,000,000 rows.
          </Text>
        </Stack>
      </Dropzone>

      {upload.isPending && fileName && (
        <Stack gap={4} role="status" aria-live="polite">
          <Text size="sm">
            {sent < 1
              ? `Uploading ${fileName}… ${Math.floor(sent * 100)}%`
              : `Checking ${fileName}: every row is read and staged…`}
          </Text>
          <Progress value={sent * 100} size="sm" animated={sent >= 1} striped={sent >= 1} aria-label="Upload" />
        </Stack>
      )}

      {upload.isError && <UploadRefusal fileName={fileName} error={upload.error} />}

      <Group justify="space-between">
        <Button variant="default" onClick={props.onBack} disabled={upload.isPending}>
          Back
        </Button>
      </Group>
    </Stack>
  );
}

function UploadRefusal({ fileName, error }: { readonly fileName: string | null; readonly error: Error }) {
  const line = error instanceof ApiError ? lineOf(error.details) : undefined;
  // the badge carries the line number, so a message that starts with it need not repeat it
  const message = line !== undefined ? sentence(error.message.replace(/^line \d+\s*[:,-]?\s*/i, '')) : error.message;
  return (
    <Alert
      color="red"
      variant="light"
      title={fileName ? `${fileName} was not accepted` : 'The file was not accepted'}
      role="alert"
    >
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          {line !== undefined && (
            <Badge color="red" variant="filled" radius="sm" style={{ flexShrink: 0 }}>
              Line {line}
            </Badge>
          )}
          <Text size="sm" data-testid="upload-error">
            {message}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          Nothing from this file was kept. Fix the file and drop it again.
        </Text>
      </Stack>
    </Alert>
  );
}

function lineOf(details: unknown): number | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const value =
    (details as { line?: unknown; lineNumber?: unknown }).line ?? (details as { lineNumber?: unknown }).lineNumber;
  // line 0 means the whole file (e.g. empty), not one line of it
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
