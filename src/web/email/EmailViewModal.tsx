import { Box, Group, Modal, ScrollArea, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { useEmail } from './email-api';
import { EmailStateBadge } from './EmailStateBadge';

/** One email: who, what, its state, and its content (plain text; HTML in a sandboxed frame). */
export function EmailViewModal({ id, onClose }: { readonly id: number | null; readonly onClose: () => void }) {
  const email = useEmail(id);
  const data = email.data;
  return (
    <Modal opened={id !== null} onClose={onClose} title={<Text fw={600}>{data?.subject ?? 'Email'}</Text>} size="xl">
      {email.isPending ? (
        <LoadingState label="Loading the email…" />
      ) : email.isError ? (
        <ErrorState error={email.error} title="The email could not be loaded" onRetry={() => void email.refetch()} />
      ) : data ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <Field label="To">{data.to}</Field>
            <Field label="State">
              <Group gap="xs">
                <EmailStateBadge state={data.state} />
                <Text size="sm" c="dimmed">
                  {data.attempts} {data.attempts === 1 ? 'attempt' : 'attempts'}
                </Text>
              </Group>
            </Field>
            <Field label="Created">{formatDateTime(data.createdAt)}</Field>
            <Field label="Sent">{formatDateTime(data.sentAt)}</Field>
            <Field label="Template">
              {data.template} ({data.category})
            </Field>
            {data.state === 'queued' && data.nextAttemptAt !== null && (
              <Field label="Next try">{formatDateTime(data.nextAttemptAt)}</Field>
            )}
            {data.lastError && (
              <Field label="Last error">
                <Text size="sm" c="red.7">
                  {data.lastError}
                </Text>
              </Field>
            )}
          </SimpleGrid>
          {data.text || data.html ? (
            <Tabs defaultValue={data.text ? 'text' : 'html'} keepMounted={false}>
              <Tabs.List>
                {data.text && <Tabs.Tab value="text">Text</Tabs.Tab>}
                {data.html && <Tabs.Tab value="html">HTML</Tabs.Tab>}
              </Tabs.List>
              <Tabs.Panel value="text" pt="sm">
                <ScrollArea.Autosize mah={420} type="auto">
                  <Box
                    component="pre"
                    m={0}
                    p="md"
                    bg="gray.0"
                    fz="sm"
                    style={{
                      whiteSpace: 'pre-wrap',
                      wordBreak: 'break-word',
                      borderRadius: 'var(--mantine-radius-md)',
                    }}
                    aria-label="Email text"
                  >
                    {data.text}
                  </Box>
                </ScrollArea.Autosize>
              </Tabs.Panel>
              <Tabs.Panel value="html" pt="sm">
                {/* sandbox without allow-scripts: the email's HTML cannot run anything or reach this page */}
                <iframe
                  title="Email as HTML"
                  sandbox=""
                  srcDoc={data.html ?? ''}
                  style={{
                    width: '100%',
                    height: 420,
                    border: '1px solid var(--mantine-color-gray-3)',
                    borderRadius: 'var(--mantine-radius-md)',
                    background: '#fff',
                  }}
                />
              </Tabs.Panel>
            </Tabs>
          ) : (
            <Text size="sm" c="dimmed">
              {data.contentHidden
                ? 'The content of this email is hidden: it carried a sign-in code that belongs to its recipient alone.'
                : 'The content of this email is not kept.'}
            </Text>
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}

function Field({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text component="div" size="sm">
        {children}
      </Text>
    </div>
  );
}
