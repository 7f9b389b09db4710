import { Button, Divider, Stack } from '@mantine/core';
import { useSite } from '../api/site';
import { ssoStartUrl } from './sso-api';

/**
 * The enabled identity providers' buttons ("Sign in with Northfield University"), under the email
 * form of the sign-in page and of every landing page. Each is a link: the browser goes to the provider.
 */
export function SsoButtons({
  next,
  landing,
  color,
}: {
  readonly next?: string;
  /** a landing page's slug: its join applies after signing in */
  readonly landing?: string;
  readonly color?: string;
}) {
  const site = useSite();
  const providers = site.data?.identityProviders ?? [];
  if (providers.length === 0) return null;
  return (
    <Stack gap="sm" mt="md">
      <Divider label="or" labelPosition="center" />
      {providers.map((p) => (
        <Button
          key={p.id}
          component="a"
          href={ssoStartUrl(p.id, { next, landing })}
          variant="default"
          size="md"
          fullWidth
          color={color}
          // a long provider name wraps on a phone instead of being cut off
          h="auto"
          mih={42}
          py={8}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'center', overflow: 'visible' } }}
        >
          {p.buttonLabel}
        </Button>
      ))}
    </Stack>
  );
}
