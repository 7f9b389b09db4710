import { Anchor, Button, CopyButton, Group, Image, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { LandingSettings } from '../../shared/landing';
import { landingQrUrl } from './landing-api';

/** The link to copy and the QR code to download (PNG for print, SVG for design tools). */
export function LandingShareCard({ settings }: { readonly settings: LandingSettings }) {
  const id = settings.communityId;
  // The slug is part of the QR's address so that a new slug shows a fresh image.
  const qr = (format: 'png' | 'svg') => `${landingQrUrl(id, format)}?v=${encodeURIComponent(settings.slug)}`;
  return (
    <Paper withBorder p="lg">
      <Stack gap="md">
        <Title order={2} size="h4">
          Share
        </Title>
        {!settings.landingEnabled && (
          <Text size="sm" c="orange.9">
            The page is off: the link shows “not available” until you switch it on.
          </Text>
        )}
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <TextInput
            label="Link to the page"
            value={settings.url}
            readOnly
            style={{ flex: 1 }}
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={settings.url}>
            {({ copied, copy }) => (
              <Button onClick={copy} color={copied ? 'teal' : 'indigo'} w={120}>
                {copied ? 'Copied' : 'Copy link'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group align="center" gap="lg">
          <Image src={qr('svg')} alt={`QR code for ${settings.url}`} w={140} h={140} fit="contain" />
          <Stack gap={6}>
            <Anchor href={qr('png')} download={`join-${settings.slug}.png`}>
              Download QR code (PNG)
            </Anchor>
            <Anchor href={qr('svg')} download={`join-${settings.slug}.svg`}>
              Download QR code (SVG)
            </Anchor>
            <Anchor href={settings.url} target="_blank" rel="noopener">
              Open the page
            </Anchor>
          </Stack>
        </Group>
      </Stack>
    </Paper>
  );
}
