/**
 * Configuration, read once from the environment, validated with every problem reported
 * together, and frozen. Nothing else reads process.env.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { dialectOfUrl } from './db/db.js';

export type TrustProxy = false | number | readonly string[];

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** per-second cap on outgoing email; 0 = unthrottled */
  readonly emailRatePerSecond: number;
  readonly secret: string;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly uploadMaxBytes: number;
  readonly uploadMaxRows: number;
  /**
   * which proxies may set X-Forwarded-For: false (none), a hop count, or proxy addresses/CIDRs;
   * never "every hop", which would let a client pick its own address
   */
  readonly trustProxy: TrustProxy;
  /**
   * print kept emails (sign-in codes and links included) to the server's output; a developer's
   * switch, refused in production
   */
  readonly printEmails: boolean;
  /** run the job worker inside `serve` */
  readonly worker: boolean;
  readonly siteName: string;
  /** bearer token that opens /metrics; undefined = /metrics is off (404) */
  readonly metricsToken: string | undefined;
  /** `convene worker`: the port of its own /metrics, /healthz and /readyz (with METRICS_TOKEN set) */
  readonly metricsPort: number;
  /**
   * on SIGTERM, how long `serve` keeps answering (readiness already 503, every answer closing its
   * connection) before it stops taking connections, so that a load balancer can drain it
   */
  readonly shutdownDrainMs: number;
  /** after the drain, how long requests and the job batch in flight get to finish before they are cut */
  readonly shutdownTimeoutMs: number;
  /**
   * SQLite: how long a statement waits for another process's write to finish. `serve` and
   * `worker` keep it short (the wait blocks the process); one-off commands wait longer.
   */
  readonly sqliteBusyTimeoutMs: number;
  /** how long a Data Tools batch takes when short ones are not needed (batch-sizer.ts) */
  readonly dataJobBatchMs: number;
  /**
   * a claimed job's lease: its worker renews it every third, and another worker takes the job
   * over once it runs out (how long a crashed worker's job waits)
   */
  readonly jobLeaseMs: number;
  /** where feed folders live (each feed names a folder inside it) */
  readonly feedsDir: string;
  /** how often a worker looks into the feed folders */
  readonly feedScanIntervalMs: number;
  /** a dropped file is taken once its size and time have not changed for this long */
  readonly feedStableMs: number;
  /** webhooks may go to `http://` on this machine (loopback) — for tests and local receivers */
  readonly webhookAllowLoopback: boolean;
  /** webhooks may go to private-network addresses (10/8, 192.168/16, fc00::/7, …) */
  readonly webhookAllowPrivateNetworks: boolean;
  /** how long a webhook request may take before it counts as failed */
  readonly webhookTimeoutMs: number;
}

const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const envSchema = z.object({
  // production unless a developer says otherwise: development mode may print sign-in codes
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  // default: sqlite:<DATA_DIR>/convene.db
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => {
      if (v === undefined) return true;
      try {
        dialectOfUrl(v);
        return true;
      } catch {
        return false;
      }
    }, 'must start with sqlite: (e.g. sqlite:./data/convene.db) or postgres://'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://community.example.edu' })
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Convene <no-reply@localhost>'),
  EMAIL_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
  SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPLOAD_MAX_BYTES: int(1, 10 * 1024 ** 3).default(200 * 1024 * 1024),
  UPLOAD_MAX_ROWS: int(1, 50_000_000).default(2_000_000),
  TRUST_PROXY: z.string().trim().default('false').transform(parseTrustProxy),
  WORKER: z.enum(['true', 'false', '1', '0']).default('true'),
  PRINT_EMAILS: z.enum(['true', 'false', '1', '0']).default('false'),
  SITE_NAME: z.string().min(1).max(100).default('Convene'),
  METRICS_PORT: int(0, 65535).default(9464),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  SHUTDOWN_DRAIN_MS: int(0, 10 * 60_000).default(5_000),
  SHUTDOWN_TIMEOUT_MS: int(0, 60 * 60_000).default(30_000),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 10 * 60_000).default(5_000),
  DATA_JOB_BATCH_MS: int(10, 60_000).default(1_000),
  JOB_LEASE_MS: int(1_000, 60 * 60_000).default(60_000),
  FEEDS_DIR: z.string().min(1).optional(),
  FEED_SCAN_INTERVAL_MS: int(1_000, 24 * 60 * 60_000).default(60_000),
  FEED_STABLE_MS: int(0, 60 * 60_000).default(30_000),
  WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false', '1', '0']).default('false'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '1', '0']).default('false'),
  WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
});

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `false`/`0`, a hop count (`1` for one reverse proxy), or a comma-separated list of
 * proxy addresses, CIDRs and proxy-addr's names (loopback, linklocal, uniquelocal).
 */
function parseTrustProxy(value: string, context: z.RefinementCtx): TrustProxy {
  if (value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value) && Number(value) <= 32) return Number(value);
  const entries = value.split(',').map((v) => v.trim());
  const bad = entries.filter((v) => !proxyNames.has(v) && !isAddressOrCidr(v));
  if (value === 'true' || bad.length > 0) {
    context.addIssue({
      code: 'custom',
      message:
        value === 'true'
          ? 'true would trust every hop and let a client choose its own address; give the number of proxies in front of Convene (e.g. 1) or their addresses'
          : `must be false, a hop count (e.g. 1), or proxy addresses/CIDRs separated by commas (not: ${bad.join(', ')})`,
    });
    return false;
  }
  return Object.freeze(entries);
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const version = net.isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment. Throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (parsed.success && parsed.data.NODE_ENV === 'production' && ['true', '1'].includes(parsed.data.PRINT_EMAILS))
    problems.push('PRINT_EMAILS: prints sign-in codes and links to the log; only with NODE_ENV=development');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    // Without DATABASE_URL the SQLite file lives in the data folder, with the secret.
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'convene.db')}`,
    host: e.HOST,
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    emailRatePerSecond: e.EMAIL_RATE_PER_SECOND,
    secret: overrides.secret ?? e.SECRET ?? readOrCreateSecret(dataDir),
    dataDir,
    logLevel: e.LOG_LEVEL,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadMaxRows: e.UPLOAD_MAX_ROWS,
    trustProxy: e.TRUST_PROXY,
    worker: e.WORKER === 'true' || e.WORKER === '1',
    printEmails: e.PRINT_EMAILS === 'true' || e.PRINT_EMAILS === '1',
    siteName: e.SITE_NAME,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    dataJobBatchMs: e.DATA_JOB_BATCH_MS,
    jobLeaseMs: e.JOB_LEASE_MS,
    feedsDir: path.resolve(e.FEEDS_DIR ?? path.join(dataDir, 'feeds')),
    feedScanIntervalMs: e.FEED_SCAN_INTERVAL_MS,
    feedStableMs: e.FEED_STABLE_MS,
    webhookAllowLoopback: e.WEBHOOK_ALLOW_LOOPBACK === 'true' || e.WEBHOOK_ALLOW_LOOPBACK === '1',
    webhookAllowPrivateNetworks:
      e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' || e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === '1',
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    ...overrides,
  };
  return Object.freeze(config);
}

/** The default install needs no set-up: a random secret is kept in the data folder. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return fs.readFileSync(file, 'utf8').trim();
  }
}

/** Cookies get `Secure` and the `__Host-` prefix when the site is served over https. */
export function isHttps(config: Config): boolean {
  return config.publicUrl.startsWith('https://');
}
