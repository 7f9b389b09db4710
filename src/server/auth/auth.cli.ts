/** CLI commands of the auth feature: `admin add <email>` and `token create|list|revoke`. */
import { parseArgs } from 'node:util';
import { createRuntime } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { addSiteAdmin } from './admin-bootstrap.service.js';
import { type ApiTokenScope, apiTokenScopes } from '../../shared/enums.js';
import { createApiToken, listTokens, revokeToken } from './api-token.service.js';
import { normalizeEmail } from './email-address.js';
import { findPersonByEmail } from './sign-in.repository.js';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** `convene admin add <email>`: creates or promotes an active site admin and prints a one-time sign-in link. */
export async function adminAddCommand(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'first-name': { type: 'string' }, 'last-name': { type: 'string' } },
  });
  if (positionals.length !== 1) fail('Usage: convene admin add <email> [--first-name F] [--last-name L]');
  const runtime = await createRuntime(loadConfig());
  try {
    const added = await addSiteAdmin(runtime.ctx, positionals[0], {
      firstName: values['first-name'],
      lastName: values['last-name'],
    });
    const hours = Math.round((added.expiresAt - runtime.ctx.clock.now()) / 3_600_000);
    console.log(
      `${added.created ? 'Created' : 'Promoted'} site admin ${added.person.email} (Profile ID ${added.person.id}).`,
    );
    console.log(`\nOpen this link to sign in (once, within ${hours} hours, in any browser):\n\n  ${added.link}\n`);
    console.log('Afterwards, sign in with your email address: a code is emailed each time.');
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await runtime.close();
  }
}

const DAY_MS = 86_400_000;

/**
 * `convene token create <email> [--name N] [--scope read|data_jobs|full]… [--expires-days D]`:
 * prints an API token for that active admin (shown once). Without --scope the token is `read`.
 */
export async function tokenCreateCommand(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n' },
      scope: { type: 'string', multiple: true },
      'expires-days': { type: 'string' },
    },
  });
  const usage = 'Usage: convene token create <email> [--name N] [--scope read|data_jobs|full]… [--expires-days D]';
  if (positionals.length !== 1) fail(usage);
  const email = normalizeEmail(positionals[0]);
  if (!email) fail('That is not a valid email address.');
  const scopes = values.scope ?? ['read'];
  const unknown = scopes.filter((s) => !(apiTokenScopes as readonly string[]).includes(s));
  if (unknown.length) fail(`Unknown scope ${unknown.join(', ')}: use ${apiTokenScopes.join(', ')}.\n${usage}`);
  const days = values['expires-days'] === undefined ? null : Number(values['expires-days']);
  if (days !== null && !(Number.isInteger(days) && days > 0)) fail('--expires-days takes a whole number of days.');
  const runtime = await createRuntime(loadConfig());
  try {
    const person = await findPersonByEmail(runtime.ctx.db, email);
    if (!person) fail(`No person has the email ${email}. Create the admin first: convene admin add ${email}`);
    const now = runtime.ctx.clock.now();
    const created = await createApiToken(
      runtime.ctx,
      person.id,
      {
        name: values.name ?? `cli ${new Date(now).toISOString()}`,
        scopes: scopes as ApiTokenScope[],
        expiresAt: days === null ? null : now + days * DAY_MS,
      },
      null,
    );
    console.log(created.token);
    console.error(
      `API token ${created.id} for ${email} (scopes: ${created.scopes.join(', ')}; ` +
        `${created.expiresAt === null ? 'never expires' : `expires ${new Date(created.expiresAt).toISOString()}`}). ` +
        'It is shown once; send it as "Authorization: Bearer <token>".',
    );
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await runtime.close();
  }
}

const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** `convene token list`: every API token, newest first (id, state, scopes, owner, dates; never the secret). */
export async function tokenListCommand(args: string[]): Promise<void> {
  parseArgs({ args, allowPositionals: false, options: {} });
  const runtime = await createRuntime(loadConfig());
  try {
    const tokens = await listTokens(runtime.ctx);
    if (tokens.length === 0) {
      console.log('No API tokens.');
      return;
    }
    console.log(['id', 'state', 'scopes', 'owner', 'created', 'expires', 'last used', 'name'].join('\t'));
    for (const t of tokens) {
      console.log(
        [
          t.id,
          t.state,
          t.scopes.join(','),
          t.owner.email ?? t.owner.id,
          when(t.createdAt),
          when(t.expiresAt),
          when(t.lastUsedAt),
          t.name,
        ].join('\t'),
      );
    }
  } finally {
    await runtime.close();
  }
}

/** `convene token revoke <id>`: the token stops working at once. */
export async function tokenRevokeCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) fail('Usage: convene token revoke <id>');
  const runtime = await createRuntime(loadConfig());
  try {
    const revoked = await revokeToken(runtime.ctx, null, id);
    console.log(`API token ${revoked.id} (${revoked.name}) is revoked.`);
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await runtime.close();
  }
}
