import { Badge, Stack, Table, Text } from '@mantine/core';
import type { FileRow } from './data-jobs.api';

/** The first rows of the file as uploaded, with the mapped columns marked. */
export function SamplePreview(props: {
  readonly columns: readonly string[];
  readonly rows: readonly FileRow[];
  /** 1-based column index (as text) → what it is mapped to */
  readonly highlighted: ReadonlyMap<string, string>;
}) {
  if (props.rows.length === 0) return null;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        First rows of the file
      </Text>
      <Table.ScrollContainer
        minWidth={400}
        type="native"
        tabIndex={0}
        role="region"
        aria-label="Sample rows (scrolls sideways)"
      >
        <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>Row</Table.Th>
              {props.columns.map((column, index) => {
                const mapped = props.highlighted.get(String(index + 1));
                return (
                  <Table.Th key={index} bg={mapped ? 'var(--mantine-color-blue-light)' : undefined}>
                    <Stack gap={2}>
                      <span>{column || `Column ${index + 1}`}</span>
                      {mapped && (
                        <Badge size="xs" variant="filled" radius="sm">
                          {mapped}
                        </Badge>
                      )}
                    </Stack>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.slice(0, 5).map((row) => (
              <Table.Tr key={row.rowNumber}>
                <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
                {props.columns.map((_, index) => (
                  <Table.Td key={index} c={props.highlighted.has(String(index + 1)) ? undefined : 'dimmed'}>
                    {row.values[index] ?? ''}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
