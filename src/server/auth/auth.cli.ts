/** CLI commands of the auth feature: `admin add <email>` and `token create <email> [--name N]`. */
import { parseArgs } from 'node:util';
import { createRuntime } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { addSiteAdmin } from './admin-bootstrap.service.js';
import { createApiToken } from './api-token.service.js';
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

/** `convene token create <email> [--name N]`: prints an API token for that active admin (shown once). */
export async function tokenCreateCommand(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string', short: 'n' } },
  });
  if (positionals.length !== 1) fail('Usage: convene token create <email> [--name N]');
  const email = normalizeEmail(positionals[0]);
  if (!email) fail('That is not a valid email address.');
  const runtime = await createRuntime(loadConfig());
  try {
    const person = await findPersonByEmail(runtime.ctx.db, email);
    if (!person) fail(`No person has the email ${email}. Create the admin first: convene admin add ${email}`);
    const token = await createApiToken(
      runtime.ctx,
      person.id,
      values.name ?? `cli ${new Date(runtime.ctx.clock.now()).toISOString()}`,
    );
    console.log(token);
    console.error(`API token for ${email}. It is shown once; send it as "Authorization: Bearer <token>".`);
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await runtime.close();
  }
}
