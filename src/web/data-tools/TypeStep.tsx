import { Anchor, Button, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
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
      <Radio.Group value={props.value} onChange={(value) => props.onChange(value as DataJobType)} label="What should this job do?" size="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm" spacing="md">
          {dataJobTypes.map((type) => {
            const words = jobTypeWords[type];
            return (
              <Radio.Card key={type} value={type} radius="md" p="md" data-testid={`job-type-${type}`}>
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Radio.Indicator mt={3} />
                  <Stack gap={6}>
                    <Text fw={600}>{words.label}</Text>
                    <Text size="sm">{words.description}</Text>
                    <Text size="xs" c="dimmed">
                      Columns: {words.columns}
                    </Text>
                    <Anchor
                      size="sm"
                      href={samplesUrl(type)}
                      download={`${type}-sample.csv`}
                      onClick={(event) => event.stopPropagation()}
                    >
                      Download sample file
                    </Anchor>
                  </Stack>
                </Group>
              </Radio.Card>
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
