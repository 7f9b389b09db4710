import { Group, NumberInput, Paper, Radio, Stack, Text, Title } from '@mantine/core';

/**
 * An invite job's option: how long its invitations stay open. The value is the mapping form's
 * ('' the site's setting, 'never', or a number of days in text).
 */
export function InvitationExpiryOption(props: { readonly value: string; readonly onChange: (value: string) => void }) {
  const choice = props.value === '' ? 'site' : props.value === 'never' ? 'never' : 'days';
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            Options
          </Title>
          <Text size="sm" c="dimmed">
            An invitation nobody answers expires: it leaves the person’s home, and a leader can extend it.
          </Text>
        </div>
        <Radio.Group
          label="The job’s invitations expire"
          value={choice}
          onChange={(next) => props.onChange(next === 'site' ? '' : next === 'never' ? 'never' : '30')}
        >
          <Stack gap="xs" mt={6}>
            <Radio value="site" label="As the site’s setting says" />
            <Group gap="sm" align="center">
              <Radio value="days" label="After" />
              <NumberInput
                aria-label="Days until the invitations expire"
                min={1}
                max={3650}
                allowDecimal={false}
                w={100}
                disabled={choice !== 'days'}
                value={choice === 'days' ? Number(props.value) : ''}
                onChange={(days) => props.onChange(days === '' ? '' : String(days))}
                data-testid="job-expiry-days"
              />
              <Text size="sm">days</Text>
            </Group>
            <Radio value="never" label="Never" />
          </Stack>
        </Radio.Group>
      </Stack>
    </Paper>
  );
}
