/**
 * End-to-end harness: the real `convene serve` as a child process on a temp SQLite database, a real
 * SMTP peer it sends to, and Debian's Chromium driven by playwright-core.
 *
 *   const e2e = await startE2e();            // in beforeAll
 *   const page = await e2e.newPage();        // a fresh browser context (its own cookies)
 *   await page.goto(e2e.url('/sign-in'));
 *   const mail = await e2e.waitForEmail('ada@example.edu', (m) => /code/i.test(m.subject));
 *   await e2e.runCli(['admin', 'add', 'root@example.edu']);
 *   await e2e.screenshot(page, 'sign-in');   // docs/screenshots/sign-in.png
 *   await e2e.close();                       // in afterAll
 *
 * It does not build the web app; when dist/web/index.html is missing it runs `vite build` once.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, beforeEach, describe } from 'vitest';
import { startSmtpPeer, type PeerMessage, type SmtpPeer } from '../src/server/testing/smtp-peer';
import { waitFor } from '../src/server/testing/wait-for';

/** A message the SMTP peer accepted, parsed (subject, text, html, headers, envelope). */
export type ReceivedEmail = PeerMessage;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repoRoot, 'bin', 'convene.js');
const chromiumPath = '/usr/bin/chromium';
const screenshotDir = path.join(repoRoot, 'docs', 'screenshots');
const failureDir = path.join(repoRoot, 'test-results');
/** pages not yet closed, for failure screenshots */
const openPages = new Set<Page>();

/** Each running harness's browser errors, how many of them a test has already answered for, and what the current test allows. */
interface ErrorWatch {
  readonly errors: string[];
  checked: number;
  allowed: RegExp[];
}
const errorWatches = new Set<ErrorWatch>();

/**
 * Fails the test that just ran when a page logged a console error or threw, unless the test said it
 * expects it (`e2e.allowBrowserErrors(/…/)`). Errors seen in `beforeAll` count towards the first test.
 */
function checkBrowserErrors(): void {
  const unexpected: string[] = [];
  for (const watch of errorWatches) {
    const fresh = watch.errors.slice(watch.checked);
    watch.checked = watch.errors.length;
    unexpected.push(...fresh.filter((error) => !watch.allowed.some((pattern) => pattern.test(error))));
    watch.allowed = [];
  }
  if (unexpected.length > 0) {
    throw new Error(
      `The browser logged ${unexpected.length} unexpected error(s) (allow one a test provokes with e2e.allowBrowserErrors):\n  ${unexpected.join('\n  ')}`,
    );
  }
}

async function screenshotOpenPages(testName: string): Promise<void> {
  const slug = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80);
  fs.mkdirSync(failureDir, { recursive: true });
  let i = 0;
  for (const page of openPages) {
    const file = path.join(failureDir, `${slug}-${++i}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 5_000 }).then(
      () => console.error(`[e2e] failure screenshot: ${path.relative(repoRoot, file)} (${page.url()})`),
      () => undefined,
    );
  }
}

/**
 * A full-page screenshot that looks like the page: scrolled to the top, and taken with the window
 * as tall as the page, so that a sticky header stays at the top and whatever is as tall as the
 * window (the navigation bar, a dialog's overlay) reaches the bottom instead of stopping at the
 * first screen. The window gets its size back afterwards.
 */
async function fullPageShot(page: Page, file: string): Promise<void> {
  const size = page.viewportSize();
  const settle = () =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0),
  );
  const grow = size !== null && height > size.height;
  if (grow) {
    await page.setViewportSize({ width: size.width, height: Math.min(height, 20_000) });
    await settle();
  }
  try {
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  } finally {
    if (grow) {
      await page.setViewportSize(size);
      await settle();
    }
  }
}

/** True when browser tests are switched on (E2E=1). */
export const e2eEnabled = process.env.E2E === '1' || process.env.E2E === 'true';

/** `describe` for browser specs: runs with E2E=1, otherwise skipped with the reason in its name. */
export function describeE2e(name: string, body: () => void): void {
  if (!e2eEnabled) console.info(`[e2e] skipped "${name}": browser tests run only with E2E=1 (CI sets it).`);
  describe.skipIf(!e2eEnabled)(e2eEnabled ? name : `${name} [skipped: browser tests run only with E2E=1]`, () => {
    // A failed test leaves a picture of every page still open in test-results/ (git-ignored).
    beforeEach(({ task, onTestFailed }) => {
      onTestFailed(() => screenshotOpenPages(task.name));
    });
    afterEach(checkBrowserErrors);
    body();
  });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface E2e {
  /** the server's origin, e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** the server's database (`sqlite:<file>`), for setting up what no screen or API can, such as time passing */
  readonly databaseUrl: string;
  readonly smtp: SmtpPeer;
  readonly browser: Browser;
  /** uncaught page errors and console errors seen in any page (CSP violations show up here) */
  readonly browserErrors: readonly string[];
  /**
   * Errors the current test expects pages to log (e.g. Chromium's "status of 400" line for a code it
   * typed wrong on purpose). Any other console error or page error fails the test.
   */
  allowBrowserErrors(...patterns: RegExp[]): void;
  /** an absolute URL on the server */
  url(pathname: string): string;
  /**
   * a page in a fresh browser context: its own cookies, 1280×800; `bypassCSP` lets a test inject a
   * script (axe-core) past the app's Content-Security-Policy
   */
  newPage(options?: { readonly width?: number; readonly height?: number; readonly bypassCSP?: boolean }): Promise<Page>;
  /** rows of a read-only SQL query on the server's database, to find seeded data (a leader, a job) */
  query<T>(sql: string, ...params: unknown[]): T[];
  /** runs `convene <args>` against the same database; throws on a non-zero exit unless allowFailure */
  runCli(args: readonly string[], options?: { readonly allowFailure?: boolean }): Promise<CliResult>;
  /** the first email (oldest first) to `to` that matches, waiting for it to arrive */
  waitForEmail(to: string, predicate?: (mail: ReceivedEmail) => boolean): Promise<ReceivedEmail>;
  /** resolves once the server's outbox has nothing left to send: every email queued so far has arrived */
  waitForOutboxDrained(): Promise<void>;
  /** saves a full-page PNG to docs/screenshots/<name>.png and returns its path */
  screenshot(page: Page, name: string): Promise<string>;
  /** the server's output so far (for failure messages) */
  serverOutput(): string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** extra environment for the server and the CLI (e.g. SITE_NAME) */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts the SMTP peer, the server and Chromium. Call close() when done, also after a failure. */
export async function startE2e(options: StartOptions = {}): Promise<E2e> {
  await ensureWebBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-'));
  const browserErrors: string[] = [];
  const watch: ErrorWatch = { errors: browserErrors, checked: 0, allowed: [] };
  errorWatches.add(watch);
  const cleanups: (() => Promise<void>)[] = [
    async () => fs.rmSync(tmp, { recursive: true, force: true }),
    async () => void errorWatches.delete(watch),
  ];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const smtp = await startSmtpPeer();
    cleanups.push(() => smtp.close());
    const port = await freePort();
    const databaseFile = path.join(tmp, 'e2e.db');
    const baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATABASE_URL: `sqlite:${databaseFile}`,
      DATA_DIR: path.join(tmp, 'data'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Convene <no-reply@convene.test>',
      ...options.env,
    };
    const server = await startServer(env, baseUrl);
    cleanups.push(() => stopProcess(server.child));
    const browser = await launchChromium();
    cleanups.push(() => browser.close());

    return {
      baseUrl,
      databaseUrl: env.DATABASE_URL as string,
      smtp,
      browser,
      browserErrors,
      allowBrowserErrors: (...patterns) => void watch.allowed.push(...patterns),
      url: (pathname) => new URL(pathname, baseUrl).toString(),
      async newPage({ width = 1280, height = 800, bypassCSP = false } = {}) {
        const context = await browser.newContext({ viewport: { width, height }, baseURL: baseUrl, bypassCSP });
        // Fail a step inside the test's own timeout, so the report names the step; a step may take
        // long on a busy machine (a slow first paint, a file chooser), so the bound is generous.
        context.setDefaultTimeout(45_000);
        const page = await context.newPage();
        openPages.add(page);
        page.on('close', () => openPages.delete(page));
        page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') browserErrors.push(`console: ${message.text()}`);
        });
        return page;
      },
      query<T>(sql: string, ...params: unknown[]): T[] {
        const db = new SqliteDatabase(databaseFile, { readonly: true, fileMustExist: true });
        try {
          return db.prepare(sql).all(...params) as T[];
        } finally {
          db.close();
        }
      },
      runCli: (args, cliOptions) => runCli(env, args, cliOptions?.allowFailure ?? false),
      waitForEmail: (to, predicate) => waitForEmail(smtp, to, predicate),
      waitForOutboxDrained: () => waitForOutboxDrained(databaseFile),
      async screenshot(page, name) {
        fs.mkdirSync(screenshotDir, { recursive: true });
        const file = path.join(screenshotDir, `${name}.png`);
        await fullPageShot(page, file);
        return file;
      },
      serverOutput: () => server.output.join(''),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Builds dist/web when it is missing; spec files start in parallel, so one builds and the others wait. */
async function ensureWebBuilt(): Promise<void> {
  const index = path.join(repoRoot, 'dist', 'web', 'index.html');
  if (fs.existsSync(index)) return;
  const lock = path.join(repoRoot, 'dist', '.e2e-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  try {
    if (Date.now() - fs.statSync(lock).mtimeMs > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed run
  } catch {
    // no lock
  }
  try {
    fs.mkdirSync(lock);
  } catch {
    await waitFor(() => fs.existsSync(index), {
      what: `another run to build dist/web (lock ${lock})`,
      timeoutMs: 3 * 60_000,
      intervalMs: 250,
    });
    return;
  }
  try {
    await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
      { cwd: repoRoot },
    );
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** A port the OS says is free right now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
): Promise<{ child: ChildProcess; output: string[] }> {
  const output: string[] = [];
  // cwd is the repo root: the server serves ./dist/web.
  const child = spawn(process.execPath, [bin, 'serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`convene serve exited with ${child.exitCode}:\n${output.join('')}`);
        try {
          return (await fetch(`${baseUrl}/readyz`)).ok;
        } catch {
          return false; // not listening yet
        }
      },
      { what: () => `convene serve to answer /readyz:\n${output.join('')}`, intervalMs: 100 },
    );
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { child, output };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium); browser tests cannot run.`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function runCli(env: NodeJS.ProcessEnv, args: readonly string[], allowFailure: boolean): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      if (code !== 0 && !allowFailure)
        reject(new Error(`convene ${args.join(' ')} exited with ${code}:\n${stdout}${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

async function waitForEmail(
  smtp: SmtpPeer,
  to: string,
  predicate: (mail: ReceivedEmail) => boolean = () => true,
): Promise<ReceivedEmail> {
  const address = to.toLowerCase();
  return waitFor(
    () => smtp.messages.find((mail) => mail.envelopeTo.some((a) => a.toLowerCase() === address) && predicate(mail)),
    {
      what: () => {
        const seen = smtp.messages.map((m) => `${m.envelopeTo.join(',')}: ${m.subject}`).join('\n  ') || '(none)';
        return `an email to ${to} that matches. Received:\n  ${seen}`;
      },
      intervalMs: 100,
    },
  );
}

/** Reads the server's database beside it: no email queued or being sent is left. */
async function waitForOutboxDrained(databaseFile: string): Promise<void> {
  const db = new SqliteDatabase(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const pending = db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM email_outbox WHERE state IN ('queued', 'sending')`,
    );
    await waitFor(() => pending.get()?.n === 0, { what: 'the server to send every queued email', intervalMs: 100 });
  } finally {
    db.close();
  }
}
