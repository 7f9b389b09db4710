import { Checkbox, Fieldset, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { dataJobTypes, type KeyType } from '../../shared/enums';
import { feedNotifyChoices } from '../../shared/feeds';
import { keyRequired, keyTypesFor, mappingFields } from '../data-tools/mapping-fields';
import { jobTypeWords, keyTypeWords } from '../data-tools/words';
import { notifyWords, type FeedFormValues } from './feed-form';

/** The feed's settings as form fields; the job type is chosen only when the feed is made. */
export function FeedFields({ form, isNew }: { form: UseFormReturnType<FeedFormValues>; isNew: boolean }) {
  const { type } = form.getValues();
  const keyTypes = keyTypesFor(type);
  return (
    <Stack>
      <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
      {isNew ? (
        <Select
          label="Job type"
          description={jobTypeWords[type].description}
          required
          allowDeselect={false}
          data={dataJobTypes.map((t) => ({ value: t, label: jobTypeWords[t].label }))}
          {...form.getInputProps('type')}
        />
      ) : (
        <Text size="sm">
          <strong>Job type:</strong> {jobTypeWords[type].label}
        </Text>
      )}
      <TextInput
        label="Folder"
        description="A folder inside the site’s feeds directory, where the institution’s systems drop files"
        required
        {...form.getInputProps('folder')}
      />
      <Fieldset legend="Columns">
        <Stack>
          <Text size="sm" c="dimmed">
            Name each column as the file’s header row names it (or its number, 1 for the first, when the file has no
            header). {jobTypeWords[type].columns}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={keyTypes.length > 1 ? 'ID column' : `${keyTypeWords.unique_id} column`}
              required={keyRequired(type)}
              {...form.getInputProps('keyColumn')}
            />
            {keyTypes.length > 1 && (
              <Select
                label="Kind of ID"
                allowDeselect={false}
                data={keyTypes.map((k: KeyType) => ({ value: k, label: keyTypeWords[k] }))}
                {...form.getInputProps('keyType')}
              />
            )}
            {mappingFields[type].map((field) => (
              <TextInput
                key={`${type}-${field.name}`}
                label={`${field.label} column`}
                description={field.description}
                required={field.required}
                {...form.getInputProps(`columns.${field.name}`)}
              />
            ))}
          </SimpleGrid>
        </Stack>
      </Fieldset>
      <Checkbox label="The file has a header row" {...form.getInputProps('hasHeader', { type: 'checkbox' })} />
      <Checkbox
        label="Skip an empty file"
        description="A file with no rows is recorded as skipped instead of failed"
        {...form.getInputProps('skipEmpty', { type: 'checkbox' })}
      />
      <TextInput
        label="Hold for review above (% of rows refused)"
        description="When the dry run refuses more rows than this, the job waits for an admin in Data Tools. Empty: always run."
        inputMode="numeric"
        {...form.getInputProps('reviewAbovePercent')}
      />
      <Select
        label="Email admins"
        allowDeselect={false}
        data={feedNotifyChoices.map((n) => ({ value: n, label: notifyWords[n] }))}
        {...form.getInputProps('notify')}
      />
      <Checkbox label="On (files are taken)" {...form.getInputProps('enabled', { type: 'checkbox' })} />
    </Stack>
  );
}
