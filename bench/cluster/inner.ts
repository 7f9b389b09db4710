/**
 * The cluster run itself, inside namespace cvc-ctl (cluster.ts builds the namespaces and starts
 * this): PostgreSQL + PgBouncer, nginx, the serve and worker processes, the SMTP peer and the
 * load; then the faults, and the report.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { build } from '../../src/server/app.js';
import { createRuntime, type Runtime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { generateSite } from '../../src/server/demo/generate.js';
import { processDataJob } from '../../src/server/data-tools/engine/process.js';
import { adminCookie, mixedInviteCsv, multipartBody, upload } from '../../src/server/data-tools/test-support.js';
import { settingKeys, writeSettingValue } from '../../src/server/site/site-settings.repository.js';
import { sessionCookie, buildPerson } from '../../src/server/testing/factories.js';
import { findPgBinDir } from '../../src/server/testing/pg-instance.js';
import { fromOwnPages } from '../../src/server/testing/test-app.js';
import { startSmtpPeer } from '../../src/server/testing/smtp-peer.js';
import { percentile, round } from '../lib/figures.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'bin/convene.js');
const secret = 'cluster-secret-0123456789abcdef0123456789abcdef';
const smtpPort = 2525;
const webPort = 3000;
const lbPort = 8080;
const emailsToQueue = 10_000;
/** the whole run, set-up included, stays under 15 minutes */
const deadline = Date.now() + 14 * 60_000;

interface Hosts {
  readonly ctl: string;
  readonly lb: string;
  readonly webs: readonly string[];
  readonly workers: readonly string[];
  readonly db: string;
}

interface Sample {
  readonly at: number;
  readonly kind: string;
  readonly status: number;
  readonly ms: number;
}

function log(message: string): void {
  process.stderr.write(`[cluster ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, limitMs: number): Promise<void> {
  const end = Math.min(Date.now() + limitMs, deadline);
  for (;;) {
    let ok: boolean;
    try {
      ok = await check();
    } catch (error) {
      if (error instanceof Error && /exited/.test(error.message)) throw error;
      ok = false;
    }
    if (ok) return;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await delay(200);
  }
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`no value for {{${key}}}`);
    return values[key];
  });
}

export async function runInner(options: {
  work: string;
  rows: number;
  people: number;
  hosts: Hosts;
  /** clients in the load */
  clients: number;
  /** > 0: a capacity run of that many seconds (load only: no job, no bulk emails, no faults) */
  capacitySeconds: number;
}): Promise<boolean> {
  const { work, hosts } = options;
  const capacity = options.capacitySeconds > 0;
  const started = Date.now();
  const children = new Set<ChildProcess>();
  const inNs = (ns: string, cmd: string, args: string[], env: Record<string, string> = {}, logName?: string) => {
    const out = logName ? fs.openSync(path.join(work, `${logName}.log`), 'a') : 'ignore';
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', out, out],
      cwd: repo,
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };
  const pgUser = async (ns: string, bin: string, args: string[]) =>
    run('ip', ['netns', 'exec', ns, 'runuser', '-u', 'postgres', '--', bin, ...args], { cwd: work });

  // PostgreSQL of the cluster's own, in cvc-db.
  const binDir = findPgBinDir();
  if (!binDir) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin');
  const pgDir = path.join(work, 'pg');
  fs.mkdirSync(pgDir);
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  fs.chownSync(pgDir, Number(uid), Number(gid));
  const pgData = path.join(pgDir, 'data');
  await pgUser('cvc-db', path.join(binDir, 'initdb'), ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const pgOptions = [
    `-k ${pgDir}`,
    `-c listen_addresses='127.0.0.1,${hosts.db}'`,
    '-c max_connections=200',
    '-c shared_buffers=256MB',
  ].join(' ');
  const subnet = `${hosts.ctl.split('.').slice(0, 3).join('.')}.0/24`;
  fs.appendFileSync(path.join(pgData, 'pg_hba.conf'), `host all all ${subnet} trust\n`);
  const pgCtl = (action: string[]) =>
    pgUser('cvc-db', path.join(binDir, 'pg_ctl'), [
      '-D',
      pgData,
      '-l',
      path.join(pgDir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      pgOptions,
      ...action,
    ]);
  await pgCtl(['start']);
  const direct = `postgres://postgres@${hosts.db}:5432`;
  const admin = new pg.Client({ connectionString: `${direct}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE convene');
  await admin.end();

  // PgBouncer beside it, from docs/deploy/pgbouncer.ini.
  const bouncerDir = path.join(work, 'pgbouncer');
  fs.mkdirSync(bouncerDir);
  fs.writeFileSync(path.join(bouncerDir, 'userlist.txt'), '"postgres" ""\n');
  fs.writeFileSync(
    path.join(bouncerDir, 'pgbouncer.ini'),
    render(fs.readFileSync(path.join(repo, 'docs/deploy/pgbouncer.ini'), 'utf8'), {
      DATABASE: 'convene',
      PG_HOST: '127.0.0.1',
      PG_PORT: '5432',
      LISTEN_ADDR: hosts.db,
      LISTEN_PORT: '6432',
      DIR: bouncerDir,
      AUTH_TYPE: 'trust',
    }),
  );
  fs.chownSync(bouncerDir, Number(uid), Number(gid));
  for (const f of fs.readdirSync(bouncerDir)) fs.chownSync(path.join(bouncerDir, f), Number(uid), Number(gid));
  inNs('cvc-db', 'runuser', ['-u', 'postgres', '--', '/usr/sbin/pgbouncer', path.join(bouncerDir, 'pgbouncer.ini')]);
  const pooled = `postgres://postgres@${hosts.db}:6432/convene`;

  // The site: people, communities, an admin, members to load pages as; migrated directly.
  log(`generating a site of ${options.people.toLocaleString('en')} people…`);
  let runtime: Runtime = await createRuntime(
    loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: `${direct}/convene`, SECRET: secret }),
  );
  let ctx = runtime.ctx;
  const site = await generateSite(ctx.db, { people: options.people, communities: 40, seed: 3 });
  await writeSettingValue(ctx.db, settingKeys.adminDailyEmailQuota, 1_000_000, Date.now());
  const jobCommunities = { firstPersonId: site.firstPersonId, communityIds: site.communityIds.slice(0, 20) };
  const inviteCommunities = site.communityIds.slice(20);
  const { cookie: adminSession } = await adminCookie(ctx);
  const members: string[] = [];
  for (let i = 0; i < 20; i++) members.push(await sessionCookie(ctx, (await buildPerson(ctx)).id));
  await ctx.db
    .updateTable('community')
    .set({ landing_enabled: 1 })
    .where('id', 'in', inviteCommunities.slice(0, 5))
    .execute();
  const slugs = (await ctx.db.selectFrom('community').select('slug').where('landing_enabled', '=', 1).execute()).map(
    (c) => c.slug,
  );
  const mapping = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };
  let csv = '';
  let cleanJob = { status: 'not run', counters: '{}', processed_rows: 0 };
  let cleanMs = 0;
  if (!capacity) {
    log(`writing the ${options.rows.toLocaleString('en')}-row invite CSV…`);
    csv = await mixedInviteCsv(ctx, jobCommunities, options.rows);
  }
  await runtime.close();
  if (!capacity) {
    // The clean run: the same file on a copy of the same site, in one process, no faults.
    log('clean run of the job on a copy of the site…');
    const cleanStarted = Date.now();
    const copy = new pg.Client({ connectionString: `${direct}/postgres` });
    await copy.connect();
    await copy.query('CREATE DATABASE convene_clean TEMPLATE convene');
    await copy.end();
    runtime = await createRuntime(
      loadConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        DATABASE_URL: `${direct}/convene_clean`,
        SECRET: secret,
        PUBLIC_URL: `http://${hosts.lb}:${lbPort}`,
      }),
    );
    ctx = runtime.ctx;
    const cleanApp = await build(ctx, { webRoot: null });
    const origin = { origin: `http://${hosts.lb}:${lbPort}` };
    const cleanUp = await upload(fromOwnPages(cleanApp, origin.origin), adminSession, {
      type: 'invite_to_community',
      file: csv,
    });
    if (cleanUp.statusCode !== 201) throw new Error(`clean upload: ${cleanUp.statusCode} ${cleanUp.body}`);
    const cleanId = cleanUp.json().id as number;
    const cleanMapped = await cleanApp.inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${cleanId}/mapping`,
      headers: { cookie: adminSession, ...origin },
      payload: mapping,
    });
    if (cleanMapped.statusCode !== 200) throw new Error(`clean mapping: ${cleanMapped.body}`);
    await cleanApp.inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${cleanId}/start`,
      headers: { cookie: adminSession, ...origin },
    });
    await processDataJob(ctx, cleanId);
    cleanJob = await ctx.db
      .selectFrom('data_job')
      .select(['status', 'counters', 'processed_rows'])
      .where('id', '=', cleanId)
      .executeTakeFirstOrThrow();
    cleanMs = Date.now() - cleanStarted;
    await cleanApp.close();
    await runtime.close();
    log(`clean run: ${cleanJob.status} in ${(cleanMs / 1000).toFixed(1)} s`);
  }

  // SMTP peer in this namespace; every serve and worker sends to it.
  const peer = await startSmtpPeer({ parse: false, host: hosts.ctl, port: smtpPort });

  const appEnv = (ip: string): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: pooled,
    HOST: ip,
    PORT: String(webPort),
    PUBLIC_URL: `http://${hosts.lb}:${lbPort}`,
    SECRET: secret,
    SMTP_URL: `smtp://${hosts.ctl}:${smtpPort}`,
    DATA_DIR: path.join(work, 'data'),
    // nginx, and this script's load (it forwards as many phones would)
    TRUST_PROXY: `${hosts.lb},${hosts.ctl}`,
    SHUTDOWN_DRAIN_MS: '2000',
    SHUTDOWN_TIMEOUT_MS: '20000',
  });
  const webs = new Map<number, ChildProcess>();
  const startWeb = (i: number) =>
    webs.set(
      i,
      inNs(`cvc-web${i + 1}`, process.execPath, [cli, 'serve', '--no-worker'], appEnv(hosts.webs[i]), `web${i + 1}`),
    );
  const workers = new Map<number, ChildProcess>();
  const startWorker = (i: number) =>
    workers.set(
      i,
      inNs(`cvc-wrk${i + 1}`, process.execPath, [cli, 'worker'], appEnv(hosts.workers[i]), `worker${i + 1}`),
    );
  const webReady = (i: number) => {
    if (webs.get(i)?.exitCode !== null) throw new Error(`web${i + 1} exited (see web${i + 1}.log)`);
    return fetch(`http://${hosts.webs[i]}:${webPort}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
  };
  // CPU seconds each serve and worker process used (read from /proc every second, kept per pid so
  // that restarted processes count too): the cost per request, independent of other load.
  const cpuSeen = new Map<number, { role: 'serve' | 'worker'; ticks: number }>();
  const ticksPerSecond = 100;
  const sampleCpu = () => {
    for (const [role, list] of [
      ['serve', webs],
      ['worker', workers],
    ] as const)
      for (const child of list.values()) {
        if (!child.pid || child.exitCode !== null) continue;
        try {
          const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          cpuSeen.set(child.pid, { role, ticks: Number(fields[11]) + Number(fields[12]) });
        } catch {
          // exited between the check and the read
        }
      }
  };
  const cpuTimer = setInterval(sampleCpu, 1_000);
  const cpuSeconds = (role: 'serve' | 'worker') =>
    [...cpuSeen.values()].filter((c) => c.role === role).reduce((sum, c) => sum + c.ticks, 0) / ticksPerSecond;
  log(`starting ${hosts.webs.length} serve hosts and ${hosts.workers.length} workers…`);
  hosts.webs.forEach((_, i) => startWeb(i));
  hosts.workers.forEach((_, i) => startWorker(i));
  for (let i = 0; i < hosts.webs.length; i++) await until(`web${i + 1} to be ready`, () => webReady(i), 300_000);

  // nginx from docs/deploy/nginx.conf.
  const nginxDir = path.join(work, 'nginx');
  fs.mkdirSync(nginxDir);
  const nginxConf = path.join(nginxDir, 'nginx.conf');
  const writeNginx = () =>
    fs.writeFileSync(
      nginxConf,
      render(fs.readFileSync(path.join(repo, 'docs/deploy/nginx.conf'), 'utf8'), {
        PREFIX: nginxDir,
        LISTEN: `${hosts.lb}:${lbPort}`,
        UPSTREAM_SERVERS: hosts.webs.map((ip) => `    server ${ip}:${webPort} max_fails=0;`).join('\n'),
      }),
    );
  writeNginx();
  inNs('cvc-lb', '/usr/sbin/nginx', ['-c', nginxConf, '-p', nginxDir, '-g', 'daemon off;'], {}, 'nginx');
  const lb = `http://${hosts.lb}:${lbPort}`;
  await until('nginx', () => fetch(`${lb}/healthz`).then((r) => r.ok), 30_000);

  // Load: a fixed set of clients in loops, each request recorded.
  const samples: Sample[] = [];
  let loadOn = true;
  let n = 0;
  const headers = (cookie?: string, json = false): Record<string, string> => ({
    origin: lb,
    ...(cookie ? { cookie } : {}),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  const one = async (kind: string, url: string, init: RequestInit) => {
    const t0 = performance.now();
    let status: number;
    try {
      const res = await fetch(`${lb}${url}`, { ...init, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    samples.push({ at: Date.now(), kind, status, ms: performance.now() - t0 });
  };
  const client = async (c: number) => {
    while (loadOn) {
      const i = n++;
      const member = members[i % members.length];
      const community = inviteCommunities[i % inviteCommunities.length];
      switch (i % 10) {
        case 0:
        case 1:
          await one('home', '/api/me', { headers: headers(member) });
          await one('home', '/api/me/recommended-communities', { headers: headers(member) });
          break;
        case 2:
        case 3:
          await one('community', `/api/communities/${community}`, { headers: headers(member) });
          await one('community', `/api/communities/${community}/members`, { headers: headers(member) });
          break;
        case 4:
        case 5:
          await one('landing_view', `/api/landing/${slugs[i % slugs.length]}`, { headers: headers() });
          break;
        case 6:
          await one('landing_code', `/api/landing/${slugs[i % slugs.length]}/code`, {
            method: 'POST',
            headers: { ...headers(undefined, true), 'x-forwarded-for': `10.${c}.${(i >> 8) & 255}.${i & 255}` },
            body: JSON.stringify({ email: `visitor-${i}@landing.example` }),
          });
          break;
        default:
          await one('invite', `/api/communities/${community}/invitations`, {
            method: 'POST',
            headers: headers(adminSession, true),
            body: JSON.stringify({
              emails: `direct-${i}@invite.example`,
              sendEmail: true,
            }),
          });
      }
    }
  };
  log(`load on: ${options.clients} clients through nginx`);
  const loadStarted = Date.now();
  const loadDone = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));

  if (capacity) {
    // Load alone: what the serve hosts answer per second, and what each request costs them.
    const warmUpMs = 10_000;
    await delay(warmUpMs);
    sampleCpu();
    const cpuFrom = cpuSeconds('serve');
    const from = Date.now();
    await delay(options.capacitySeconds * 1000);
    sampleCpu();
    const cpuUsed = cpuSeconds('serve') - cpuFrom;
    const to = Date.now();
    loadOn = false;
    await loadDone;
    clearInterval(cpuTimer);
    await peer.close();
    const counted = samples.filter((s) => s.at >= from && s.at <= to);
    const ms = counted.map((s) => s.ms);
    const ok = counted.filter((s) => s.status >= 200 && s.status < 300).length;
    const report = {
      when: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        loadAverage: os.loadavg().map((l) => round(l)),
        memoryGb: round(os.totalmem() / 2 ** 30),
      },
      topology: { nginx: 1, serve: hosts.webs.length, workers: hosts.workers.length, pgbouncer: 'transaction pooling' },
      clients: options.clients,
      seconds: round((to - from) / 1000),
      requests: counted.length,
      byStatus: counted.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }),
        {},
      ),
      okPerSecond: round(ok / ((to - from) / 1000)),
      p50_ms: round(percentile(ms, 50)),
      p95_ms: round(percentile(ms, 95)),
      p99_ms: round(percentile(ms, 99)),
      serveCpuSeconds: round(cpuUsed),
      serveCpuMsPerRequest: round((cpuUsed * 1000) / Math.max(counted.length, 1)),
      serveCoresUsed: round(cpuUsed / ((to - from) / 1000)),
    };
    const out = path.join(
      repo,
      `bench/results/cluster-capacity-${hosts.webs.length}serve-${options.clients}clients.json`,
    );
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`report: ${out}`);
    process.stderr.write(`${JSON.stringify(report, null, 2)}\n`);
    for (const child of children) child.kill('SIGTERM');
    await pgCtl(['stop', '-m', 'fast']).catch(() => undefined);
    await delay(1_000);
    for (const child of children) child.kill('SIGKILL');
    return true;
  }

  // The job, through nginx.
  const { payload, headers: formHeaders } = multipartBody([
    { name: 'type', value: 'invite_to_community' },
    { name: 'hasHeader', value: 'true' },
    { name: 'file', value: csv, fileName: 'people.csv' },
  ]);
  const up = await fetch(`${lb}/api/admin/data-jobs`, {
    method: 'POST',
    headers: { ...formHeaders, ...headers(adminSession) },
    body: new Uint8Array(payload),
  });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const jobId = ((await up.json()) as { id: number }).id;
  const mapped = await fetch(`${lb}/api/admin/data-jobs/${jobId}/mapping`, {
    method: 'PUT',
    headers: headers(adminSession, true),
    body: JSON.stringify(mapping),
  });
  if (mapped.status !== 200) throw new Error(`mapping: ${mapped.status} ${await mapped.text()}`);
  await fetch(`${lb}/api/admin/data-jobs/${jobId}/start`, { method: 'POST', headers: headers(adminSession) });
  log(`job ${jobId} started`);

  // 10,000 invitation emails: 40 invites of 250 new addresses.
  let bulkQueued = 0;
  for (let b = 0; b < emailsToQueue / 250; b++) {
    const emails = Array.from({ length: 250 }, (_, k) => `bulk-${b}-${k}@invite.example`).join(', ');
    const res = await fetch(`${lb}/api/communities/${inviteCommunities[b % inviteCommunities.length]}/invitations`, {
      method: 'POST',
      headers: headers(adminSession, true),
      body: JSON.stringify({ emails, sendEmail: true }),
    });
    if (res.status === 200) bulkQueued += 250;
    else log(`bulk invite ${b}: ${res.status} ${await res.text()}`);
  }
  log(`${bulkQueued.toLocaleString('en')} invitation emails queued`);

  // Faults.
  const phases: Record<string, { from: number; to: number }> = {};
  let t = Date.now();
  log('SIGKILL web1');
  webs.get(0)?.kill('SIGKILL');
  await delay(5_000);
  startWeb(0);
  await until('web1 back', () => webReady(0), 300_000);
  phases.killServe = { from: t, to: Date.now() };

  t = Date.now();
  log('SIGKILL worker1');
  workers.get(0)?.kill('SIGKILL');
  await delay(5_000);
  startWorker(0);
  phases.killWorker = { from: t, to: Date.now() };

  t = Date.now();
  log('rolling restart of the serve hosts');
  // As an operator would with a load balancer that only sees refused connections: SIGTERM (the
  // process answers for SHUTDOWN_DRAIN_MS with every connection closing after its answer, then
  // refuses new ones, and nginx moves requests on to the others), wait for it to exit, start it.
  for (let i = 0; i < hosts.webs.length; i++) {
    const old = webs.get(i)!;
    const exited = new Promise<number | null>((resolve) => old.on('exit', (code) => resolve(code)));
    old.kill('SIGTERM');
    const code = await exited;
    log(`web${i + 1} drained and exited ${code}`);
    startWeb(i);
    await until(`web${i + 1} ready`, () => webReady(i), 300_000);
  }
  phases.rollingRestart = { from: t, to: Date.now() };

  t = Date.now();
  log('restarting PostgreSQL');
  await pgCtl(['restart', '-m', 'fast']);
  const pgBack = Date.now();
  log(`PostgreSQL back after ${((pgBack - t) / 1000).toFixed(1)} s`);
  await delay(30_000);
  phases.pgRestart = { from: t, to: pgBack };
  // Load goes on for another 30 s (no errors expected), then stops so the workers drain the outbox.
  await delay(30_000);
  sampleCpu();
  const serveCpuS = cpuSeconds('serve');
  loadOn = false;
  await loadDone;
  phases.afterPg = { from: pgBack + 30_000, to: Date.now() };

  // The end: the job done and the outbox empty (or the time is up).
  const check = new pg.Client({ connectionString: `${direct}/convene` });
  await check.connect();
  const jobState = async () =>
    (await check.query('SELECT status, counters, processed_rows FROM data_job WHERE id = $1', [jobId])).rows[0] as {
      status: string;
      counters: string;
      processed_rows: number;
    };
  const unsent = async () =>
    Number((await check.query("SELECT count(*) AS n FROM email_outbox WHERE state IN ('queued','sending')")).rows[0].n);
  try {
    await until(
      'the job to finish and the outbox to empty',
      async () => (await jobState()).status === 'completed' && (await unsent()) === 0,
      deadline - Date.now() - 60_000,
    );
  } catch (error) {
    log(String(error));
  }
  await delay(2_000);

  sampleCpu();
  clearInterval(cpuTimer);
  const job = await jobState();
  const outbox = (await check.query('SELECT message_id, state FROM email_outbox ORDER BY id')).rows as {
    message_id: string;
    state: string;
  }[];
  const memberships = Number(
    (await check.query('SELECT count(*) AS n FROM membership WHERE data_job_id = $1', [jobId])).rows[0].n,
  );
  const invitedTotal = Number(
    (await check.query("SELECT count(*) AS n FROM membership WHERE state = 'invited'")).rows[0].n,
  );
  const sendSpan = (
    await check.query(
      "SELECT min(sent_at) AS first, max(sent_at) AS last, count(*) AS n FROM email_outbox WHERE state = 'sent'",
    )
  ).rows[0] as { first: string | null; last: string | null; n: string };
  await check.end();

  const received = new Map<string, number>();
  for (const a of peer.attempts)
    if (a.outcome === 'accepted') received.set(a.messageId, (received.get(a.messageId) ?? 0) + 1);
  // Lost: recorded as sent, never received. Unsent rows are counted apart (outboxUnsent).
  const lost = outbox
    .filter((o) => o.state === 'sent')
    .filter((o) => !received.has(o.message_id) && !received.has(`<${o.message_id}>`)).length;
  const duplicated = [...received.values()].filter((c) => c > 1).length;
  await peer.close();

  const within = (p: { from: number; to: number }) => samples.filter((s) => s.at >= p.from && s.at <= p.to);
  const failed = (list: Sample[]) => list.filter((s) => s.status === 0 || s.status >= 500);
  const byStatus = (list: Sample[]) =>
    list.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {});
  const latencies = samples.map((s) => s.ms);
  const pgWindow = within({ from: phases.pgRestart.from, to: phases.pgRestart.to + 30_000 });
  const cleanCounters = JSON.parse(cleanJob.counters) as unknown;
  const jobCounters = JSON.parse(job.counters) as unknown;
  const report = {
    when: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      loadAverage: os.loadavg().map((l) => round(l)),
      memoryGb: round(os.totalmem() / 2 ** 30),
    },
    durationS: round((Date.now() - started) / 1000),
    topology: { nginx: 1, serve: hosts.webs.length, workers: hosts.workers.length, pgbouncer: 'transaction pooling' },
    requests: {
      total: samples.length,
      byStatus: byStatus(samples),
      byKind: Object.fromEntries(
        [...new Set(samples.map((s) => s.kind))].map((k) => [k, byStatus(samples.filter((s) => s.kind === k))]),
      ),
      perSecond: round(samples.length / Math.max((phases.afterPg.to - loadStarted) / 1000, 1)),
      p50_ms: round(percentile(latencies, 50)),
      p95_ms: round(percentile(latencies, 95)),
      p99_ms: round(percentile(latencies, 99)),
    },
    cpu: {
      note: 'CPU seconds of the serve processes while the load ran, and of the workers over the whole run',
      serveSeconds: round(serveCpuS),
      serveMsPerRequest: round((serveCpuS * 1000) / Math.max(samples.length, 1)),
      workerSeconds: round(cpuSeconds('worker')),
    },
    killServe: { failed: failed(within(phases.killServe)).length, byStatus: byStatus(within(phases.killServe)) },
    killWorker: { failed: failed(within(phases.killWorker)).length },
    rollingRestart: {
      failed: failed(within(phases.rollingRestart)).length,
      requests: within(phases.rollingRestart).length,
      byStatus: byStatus(within(phases.rollingRestart)),
      seconds: round((phases.rollingRestart.to - phases.rollingRestart.from) / 1000),
    },
    pgRestart: {
      seconds: round((phases.pgRestart.to - phases.pgRestart.from) / 1000),
      byStatusDuringAnd30sAfter: byStatus(pgWindow),
      non503Errors: failed(pgWindow).filter((s) => s.status !== 503).length,
      errorsLaterThan30sAfter: failed(within(phases.afterPg)).length,
    },
    job: {
      rows: options.rows,
      status: job.status,
      processedRows: job.processed_rows,
      counters: jobCounters,
      clean: { status: cleanJob.status, counters: cleanCounters, seconds: round(cleanMs / 1000) },
      countsEqualClean: job.status === 'completed' && JSON.stringify(jobCounters) === JSON.stringify(cleanCounters),
      membershipsWritten: memberships,
    },
    memberships: { invitedTotal },
    emails: {
      queuedBulk: bulkQueued,
      outbox: outbox.length,
      outboxByState: outbox.reduce<Record<string, number>>(
        (acc, o) => ({ ...acc, [o.state]: (acc[o.state] ?? 0) + 1 }),
        {},
      ),
      outboxUnsent: outbox.filter((o) => o.state === 'queued' || o.state === 'sending').length,
      received: [...received.values()].reduce((a, b) => a + b, 0),
      distinctReceived: received.size,
      lost,
      duplicated,
      sentPerSecond:
        sendSpan.first && sendSpan.last && Number(sendSpan.last) > Number(sendSpan.first)
          ? round(Number(sendSpan.n) / ((Number(sendSpan.last) - Number(sendSpan.first)) / 1000))
          : null,
    },
  };
  const out = path.join(repo, 'bench/results/cluster-latest.json');
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`report: ${out}`);
  process.stderr.write(`${JSON.stringify(report, null, 2)}\n`);

  for (const child of children) child.kill('SIGTERM');
  await pgCtl(['stop', '-m', 'fast']).catch(() => undefined);
  await delay(1_000);
  for (const child of children) child.kill('SIGKILL');
  return true;
}
