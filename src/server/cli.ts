/** The `convene` CLI: serve, worker, migrate, admin add, token create|list|revoke, feeds list|run, jobs run, demo. */
import { parseArgs } from 'node:util';
import { build } from './app.js';
import { createRuntime } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { startWorker } from './jobs/worker.js';
import { registries } from './modules.js';
import { firstAdminHint } from './auth/admin-bootstrap.service.js';
import { adminAddCommand, tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './auth/auth.cli.js';
import { demoCommand } from './demo/demo.command.js';
import { feedsListCommand, feedsRunCommand } from './feeds/feeds.cli.js';
import { jobsRunCommand } from './data-tools/api/data-job.cli.js';
import { createLifecycle, onStopSignals } from './shutdown.js';
import { startWorkerHttp } from './worker-http.js';

const usage = `Usage: convene <command>

  serve [--no-worker]            HTTP API + web app (+ the job worker unless --no-worker)
  worker                         the job worker alone
  migrate                        apply database migrations
  admin add <email> [--first-name F] [--last-name L]   create or promote an active site admin; prints a one-time sign-in link
  token create <email> [--name N] [--scope read|data_jobs|full]… [--expires-days D]
                                 print an API token for that admin (read-only unless --scope says more)
  token list                     list API tokens (never their secrets)
  token revoke <id>              revoke an API token
  feeds list                     list the feeds (Admin → Feeds)
  feeds run [--now]              look into every feed folder now (--now: take files without waiting for them to stop changing)
  demo [--people N] [--communities M] [--seed S]   load a generated demo site
  jobs run --type <invite|job type> --file <path> --key <unique_id|preverification_id|profile_id> [--wait] [--as <admin email>] [--no-header]
                                 a Data Tools job from a CSV file (headers name the columns); with --wait, runs it
                                 and prints progress and totals: exit 0 no row refused, 2 some refused, 1 error
`;

type Command = (args: string[]) => Promise<void>;

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'no-worker': { type: 'boolean', default: false } } });
  const config = loadConfig();
  const runtime = await createRuntime(config);
  const lifecycle = createLifecycle();
  const app = await build(runtime.ctx, { lifecycle });
  const stopWorker = values['no-worker'] || !config.worker ? undefined : await startWorker(runtime.ctx, registries);
  onStopSignals({
    log: runtime.ctx.log,
    lifecycle,
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
    app,
    stopWorker,
    closeDatabase: () => runtime.close(),
  });
  await app.listen({ port: config.port, host: config.host });
  console.log(`\nConvene is running: open ${config.publicUrl}`);
  console.log(`Database: ${runtime.ctx.dialect} (${runtime.handle.where})`);
  console.log(
    config.smtpUrl
      ? 'Email: sent through SMTP_URL'
      : 'Email: no SMTP_URL set — emails are kept and readable in Admin → Email log (and printed here).',
  );
  const hint = await firstAdminHint(runtime.ctx);
  console.log(hint ? `${hint}\n` : '');
}

async function worker(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config);
  const lifecycle = createLifecycle();
  const stopWorker = await startWorker(runtime.ctx, registries);
  const app = await startWorkerHttp(runtime.ctx, { lifecycle, emailTemplates: registries.emailTemplates });
  onStopSignals({
    log: runtime.ctx.log,
    lifecycle,
    drainMs: 0,
    timeoutMs: config.shutdownTimeoutMs,
    app,
    stopWorker,
    closeDatabase: () => runtime.close(),
  });
  console.log(
    app
      ? `Convene worker running; /metrics, /healthz and /readyz on ${config.host}:${config.metricsPort}.`
      : 'Convene worker running.',
  );
}

async function migrate(): Promise<void> {
  const runtime = await createRuntime(loadConfig(), { migrate: false });
  const { migrateToLatest } = await import('./db/migrate.js');
  const applied = await migrateToLatest(runtime.ctx.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  await runtime.close();
}

export const commands: Record<string, Command> = {
  serve,
  worker,
  migrate,
  'admin add': adminAddCommand,
  'token create': tokenCreateCommand,
  'token list': tokenListCommand,
  'token revoke': tokenRevokeCommand,
  'feeds list': feedsListCommand,
  'feeds run': feedsRunCommand,
  demo: demoCommand,
  'jobs run': (args) => jobsRunCommand(args, registries),
};

export async function main(argv: string[]): Promise<void> {
  const [first, second, ...rest] = argv;
  const key = first && second && commands[`${first} ${second}`] ? `${first} ${second}` : first;
  const command = key ? commands[key] : undefined;
  if (!command) {
    console.error(usage);
    process.exit(first ? 2 : 0);
  }
  const args = key === first ? [second, ...rest].filter((a): a is string => a !== undefined) : rest;
  // A one-off command may wait for a running server's write on SQLite; serve and worker must not.
  if (key !== 'serve' && key !== 'worker') process.env.SQLITE_BUSY_TIMEOUT_MS ??= '30000';
  try {
    await command(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
