import { Anchor, Button, Group, Paper, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { dataJobTypes, type DataJobType } from '../../shared/enums';
import { samplesUrl } from './data-jobs.api';
import { jobTypeWords } from './words';

/** Step 1: the kind of job, each explained in a sentence, with a sample file to start from. */
export function TypeStep(props: {
  readonly value: DataJobType | null;
  readonly onChange: (type: DataJobType) => void;
  readonly onNext: () => void;
}) {
  return (
    <Stack gap="lg">
      <Radio.Group
        value={props.value}
        onChange={(value) => props.onChange(value as DataJobType)}
        label="What should this job do?"
        size="md"
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm" spacing="md">
          {dataJobTypes.map((type) => {
            const words = jobTypeWords[type];
            const chosen = props.value === type;
            return (
              // The whole card picks the type; the radio inside is what keyboards and screen readers use.
              <Paper
                key={type}
                withBorder
                radius="md"
                p="md"
                onClick={() => props.onChange(type)}
                style={{
                  cursor: 'pointer',
                  borderColor: chosen ? 'var(--mantine-primary-color-filled)' : undefined,
                  boxShadow: chosen ? '0 0 0 1px var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                <Stack gap={6}>
                  <Radio value={type} label={<Text fw={600}>{words.label}</Text>} />
                  <Stack gap={6} pl={32}>
                    <Text size="sm">{words.description}</Text>
                    <Text size="xs" c="dimmed">
                      Columns: {words.columns}
                    </Text>
                    <Anchor
                      size="sm"
                      href={samplesUrl(type)}
                      download={`${type}-sample.csv`}
                      onClick={(event) => event.stopPropagation()}
                      w="fit-content"
                    >
                      Download sample file
                    </Anchor>
                  </Stack>
                </Stack>
              </Paper>
            );
          })}
        </SimpleGrid>
      </Radio.Group>
      <Group justify="flex-end">
        <Button disabled={!props.value} onClick={props.onNext}>
          Next: upload the file
        </Button>
      </Group>
    </Stack>
  );
}
