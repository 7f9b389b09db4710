import { Alert, Button, FileButton, Group, Image, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { landingLimits, type LandingSettings } from '../../shared/landing';
import { landingSettingsKey, removeLandingImage, uploadLandingImage } from './landing-api';

const typeNames: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' };

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The landing page's logo or cover image: upload (PNG, JPEG or WebP, at most 2 MB), its
 * description for screen readers (blank: the community's name), replace or remove.
 */
export function LandingImageCard({ settings }: { readonly settings: LandingSettings }) {
  const queryClient = useQueryClient();
  const image = settings.image;
  const [alt, setAlt] = useState(image?.altText ?? '');
  const key = landingSettingsKey(settings.communityId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const upload = useMutation({
    mutationFn: (file: File) => uploadLandingImage(settings.communityId, file, alt),
    onSuccess: (next) => {
      queryClient.setQueryData<LandingSettings>(key, (old) => (old ? { ...old, image: next } : old));
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => removeLandingImage(settings.communityId),
    onSuccess: () => {
      queryClient.setQueryData<LandingSettings>(key, (old) => (old ? { ...old, image: null } : old));
      void refresh();
    },
  });
  const error = upload.error ?? remove.error;

  return (
    <Paper withBorder p="lg" data-testid="landing-image-card">
      <Stack gap="md">
        <Title order={2} size="h4">
          Logo or cover image
        </Title>
        <Text size="sm" c="dark.5">
          Shown at the top of the page. PNG, JPEG or WebP, at most 2 MB; each side 16 to 6,000 pixels.
        </Text>
        {image ? (
          <Group align="flex-start" gap="lg">
            <Image
              src={image.url}
              alt={image.alt}
              w={200}
              h={Math.round((200 * image.height) / image.width)}
              mah={160}
              fit="contain"
              radius="sm"
            />
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Current image
              </Text>
              <Text size="sm" c="dark.5">
                {typeNames[image.contentType] ?? image.contentType} · {image.width} × {image.height} pixels ·{' '}
                {sizeText(image.bytes)}
              </Text>
              <Text size="sm" c="dark.5">
                Described as “{image.alt}”
              </Text>
            </Stack>
          </Group>
        ) : (
          <Text size="sm" c="dark.5">
            No image yet: the page shows the community’s name and words only.
          </Text>
        )}
        <TextInput
          label="Image description (alt text)"
          description={`Read aloud by screen readers. Leave blank to use “${settings.name}”. Applies to the next upload.`}
          maxLength={landingLimits.imageAltChars}
          value={alt}
          onChange={(e) => setAlt(e.currentTarget.value)}
        />
        {error && (
          <Alert color="red" role="alert" title="The image was not saved">
            {error.message}
          </Alert>
        )}
        <div aria-live="polite">
          {upload.isSuccess && !upload.isPending && (
            <Text size="sm" c="teal.9">
              Image saved. It now shows on the landing page.
            </Text>
          )}
          {remove.isSuccess && !remove.isPending && !image && (
            <Text size="sm" c="teal.9">
              Image removed.
            </Text>
          )}
        </div>
        <Group gap="sm">
          <FileButton
            accept="image/png,image/jpeg,image/webp"
            onChange={(file) => {
              if (!file) return;
              remove.reset();
              upload.mutate(file);
            }}
          >
            {(props) => (
              <Button {...props} loading={upload.isPending}>
                {image ? 'Replace image' : 'Upload image'}
              </Button>
            )}
          </FileButton>
          {image && (
            <Button
              variant="default"
              loading={remove.isPending}
              onClick={() => {
                upload.reset();
                remove.mutate();
              }}
            >
              Remove image
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
