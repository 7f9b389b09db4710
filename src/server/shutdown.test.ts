/**
 * Graceful shutdown, with real `convene` processes: on SIGTERM `serve --no-worker` turns not ready
 * at once, answers the request in flight, stops taking connections after the drain delay and
 * exits 0; `worker` and `serve` finish the job batch in flight, hand the job back at once (no
 * lease to wait out) and exit 0, and the next worker finishes it with the dry run's counts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { generateSite } from './demo/generate.js';
import { adminCookie, invitationsAgainstLog, logTotals, mixedInviteCsv, upload } from './data-tools/test-support.js';
import { useTestApp } from './testing/test-app.js';
import { describeEachDb } from './testing/test-db.js';
import { waitFor } from './testing/wait-for.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/convene.js');

interface Convene {
  readonly proc: ChildProcess;
  readonly port: number;
  readonly exited: Promise<number | null>;
  output(): string;
}

function startConvene(args: string[], databaseUrl: string, env: Record<string, string> = {}): Convene {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let output = '';
  const proc = spawn(process.execPath, [cli, ...args], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      DATA_DIR: os.tmpdir(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, port, exited, output: () => output };
}

/** Reads one HTTP answer from a raw socket: its status line and headers. */
function readAnswer(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describeEachDb('graceful shutdown on SIGTERM', (t) => {
  const app = useTestApp(t);

  it('serve --no-worker: not ready at once, answers the request in flight, then stops taking connections and exits 0', async () => {
    const serve = startConvene(['serve', '--no-worker'], t().databaseUrl, { SHUTDOWN_DRAIN_MS: '4000' });
    const base = `http://127.0.0.1:${serve.port}`;
    try {
      await waitFor(
        async () => {
          if (serve.proc.exitCode !== null) throw new Error(`serve exited: ${serve.output()}`);
          return (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200;
        },
        { what: 'serve to be ready', intervalMs: 100 },
      );
      // A request in flight: its headers and half its body sent before the signal.
      const body = JSON.stringify({ email: 'in.flight@example.org' });
      const socket = net.connect(serve.port, '127.0.0.1');
      const answer = readAnswer(socket);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(
        [
          'POST /api/auth/code HTTP/1.1',
          `Host: 127.0.0.1:${serve.port}`,
          `Origin: ${base}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          body.slice(0, 10),
        ].join('\r\n'),
      );

      serve.proc.kill('SIGTERM');
      await waitFor(() => serve.output().includes('shutting down'), {
        what: () => `the shutdown line: ${serve.output()}`,
      });
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.headers.get('connection')).toBe('close');
      expect(((await notReady.json()) as { error: { code: string } }).error.code).toBe('shutting_down');
      expect(serve.proc.exitCode).toBeNull();

      // After the drain delay, new connections are refused…
      await waitFor(
        async () =>
          (await fetch(`${base}/healthz`).then(
            () => 'answered',
            () => 'refused',
          )) === 'refused',
        {
          what: 'the port to close',
          intervalMs: 100,
        },
      );
      expect(serve.proc.exitCode).toBeNull();
      // …while the request in flight is still answered, in full.
      socket.write(body.slice(10));
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 200 /);
      expect(await serve.exited).toBe(0);
      expect(serve.output()).not.toMatch(/\n\s+at /);
      const queued = await t()
        .ctx.db.selectFrom('email_outbox')
        .select(sql<number>`count(*)`.as('n'))
        .where('to_address', '=', 'in.flight@example.org')
        .executeTakeFirstOrThrow();
      expect(Number(queued.n)).toBe(1);
    } finally {
      serve.proc.kill('SIGKILL');
      await serve.exited;
    }
  }, 120_000);

  it('worker and serve: the batch in flight finishes, the job is handed back at once, and the next worker ends it with the dry run’s counts', async () => {
    const ctx = t().ctx;
    t().clock.set(Date.now());
    const rows = 60_000;
    const { cookie } = await adminCookie(ctx);
    const site = await generateSite(ctx.db, { people: 10_000, communities: 20, seed: 5 });
    const file = await mixedInviteCsv(ctx, site, rows);
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(up.statusCode).toBe(201);
    const id = up.json().id as number;
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    });
    expect(mapped.statusCode).toBe(200);
    const dryRun = mapped.json().dryRun as { outcomes: Record<string, number>; reasons: Record<string, number> };
    expect(
      (await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } })).statusCode,
    ).toBe(200);
    const processed = async () =>
      Number(
        (await ctx.db.selectFrom('data_job').select('processed_rows').where('id', '=', id).executeTakeFirstOrThrow())
          .processed_rows,
      );
    const queueRow = () =>
      ctx.db
        .selectFrom('job')
        .select(['state', 'locked_by', 'locked_until'])
        .where('name', '=', 'data_jobs.process')
        .executeTakeFirstOrThrow();

    for (const command of [['worker'], ['serve']]) {
      const before = await processed();
      const proc = startConvene(command, t().databaseUrl, { DATA_JOB_BATCH_MS: '20' });
      try {
        await waitFor(
          async () => {
            if (proc.proc.exitCode !== null) throw new Error(`${command[0]} exited: ${proc.output()}`);
            return (await processed()) > before;
          },
          { what: `${command[0]} to process rows`, intervalMs: 20 },
        );
        proc.proc.kill('SIGTERM');
        expect(await proc.exited).toBe(0);
      } finally {
        proc.proc.kill('SIGKILL');
        await proc.exited;
      }
      expect(proc.output()).toContain('job handed back');
      // Handed back, not abandoned: queued again with no lease, so any worker takes it at once.
      expect(await queueRow()).toEqual({ state: 'queued', locked_by: null, locked_until: null });
      const stoppedAt = await processed();
      expect(stoppedAt).toBeGreaterThan(before);
      expect(stoppedAt).toBeLessThan(rows);
    }

    const last = startConvene(['worker'], t().databaseUrl);
    try {
      await waitFor(
        async () => {
          if (last.proc.exitCode !== null) throw new Error(`worker exited: ${last.output()}`);
          return (await queueRow()).state === 'completed';
        },
        { what: 'the last worker to finish the job', intervalMs: 100 },
      );
      last.proc.kill('SIGTERM');
      expect(await last.exited).toBe(0);
    } finally {
      last.proc.kill('SIGKILL');
      await last.exited;
    }
    const { outcomes, reasons, rows: logged } = await logTotals(ctx, id);
    expect(logged).toBe(rows);
    expect({ outcomes, reasons }).toEqual({ outcomes: dryRun.outcomes, reasons: dryRun.reasons });
    expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
  }, 240_000);
});
