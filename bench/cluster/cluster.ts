/**
 * `npm run cluster`: a Convene fleet on one Linux machine, in network namespaces, under load and
 * faults. Run as root on Debian: nginx and PgBouncer are installed from Debian's packages when
 * missing.
 *
 *   cvc-lb      nginx (docs/deploy/nginx.conf)                          10.77.0.10:8080
 *   cvc-web1…3  convene serve --no-worker                               10.77.0.11–13:3000
 *   cvc-wrk1…2  convene worker                                          10.77.0.21–22
 *   cvc-db      a private PostgreSQL (never the shared one) + PgBouncer   10.77.0.30:5432, :6432
 *   cvc-ctl     this script's second half: load, SMTP peer, faults       10.77.0.2 (SMTP :2525)
 *
 * joined by veth pairs to a bridge in namespace cvc-hub. While load runs through nginx (home,
 * community pages, landing page views and code requests, direct invites), a Data Tools invite job
 * (--rows, 1,000,000 by default) and 10,000 invitation emails are in flight, it SIGKILLs a serve
 * host and a worker, restarts every serve host in turn (out of nginx, SIGTERM, wait for the drain,
 * start, back in), and restarts PostgreSQL. It writes bench/results/cluster-latest.json.
 * Everything it starts is stopped, and every namespace removed, on exit.
 *
 * Options: --rows and --people size the job and the site; --serve (1–8, default 3) the serve
 * hosts; --clients (default 12) the load's clients. --capacity-seconds N measures capacity instead:
 * no job, no bulk emails, no faults, the load alone for N seconds (the first 10 s not counted),
 * written to bench/results/cluster-capacity-<serve>serve-<clients>clients.json.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runInner } from './inner.js';

/** the most serve hosts --serve may ask for (their addresses are 10.77.0.11 and on) */
const maxServe = 8;

/** The fleet's addresses, with `serve` serve hosts (3 by default). */
export function netOf(serve: number) {
  return {
    prefix: '10.77.0',
    ctl: '10.77.0.2',
    lb: '10.77.0.10',
    webs: Array.from({ length: serve }, (_, i) => `10.77.0.${11 + i}`),
    workers: ['10.77.0.21', '10.77.0.22'],
    db: '10.77.0.30',
  };
}

/** Every namespace a run may have made (the most serve hosts), so that cleaning up finds them all. */
function hostsOf(net: ReturnType<typeof netOf>): [string, string][] {
  return [
    ['cvc-ctl', net.ctl],
    ['cvc-lb', net.lb],
    ...net.webs.map((ip, i): [string, string] => [`cvc-web${i + 1}`, ip]),
    ...net.workers.map((ip, i): [string, string] => [`cvc-wrk${i + 1}`, ip]),
    ['cvc-db', net.db],
  ];
}
const allHosts = hostsOf(netOf(maxServe));
const hub = 'cvc-hub';

function sh(cmd: string, args: string[], options: { quiet?: boolean } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: options.quiet ? 'pipe' : ['ignore', 'pipe', 'inherit'] });
}

function tryRun(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

function log(message: string): void {
  process.stderr.write(`[cluster ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** nginx and PgBouncer from Debian's packages, without starting their system services. */
function installPackages(): void {
  const missing = [
    ['nginx', '/usr/sbin/nginx'],
    ['pgbouncer', '/usr/sbin/pgbouncer'],
  ].filter(([, bin]) => !fs.existsSync(bin));
  if (missing.length === 0) return;
  const names = missing.map(([name]) => name);
  log(`installing ${names.join(' and ')} from Debian's packages…`);
  // A policy that keeps the packages' own services from starting; an existing one is left alone.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    sh('apt-get', ['install', '-y', '--no-install-recommends', ...names]);
  } catch {
    sh('apt-get', ['update']);
    sh('apt-get', ['install', '-y', '--no-install-recommends', ...names]);
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
}

function removeNamespaces(): void {
  for (const [name] of [...allHosts, [hub, '']]) {
    // Whatever still runs in the namespace was started by this script.
    let pids: string[];
    try {
      pids = sh('ip', ['netns', 'pids', name], { quiet: true }).split('\n').filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of pids) tryRun('kill', ['-9', pid]);
    tryRun('ip', ['netns', 'del', name]);
  }
}

function buildNamespaces(hosts: [string, string][]): void {
  removeNamespaces();
  sh('ip', ['netns', 'add', hub]);
  sh('ip', ['-n', hub, 'link', 'add', 'br0', 'type', 'bridge']);
  sh('ip', ['-n', hub, 'link', 'set', 'br0', 'up']);
  sh('ip', ['-n', hub, 'link', 'set', 'lo', 'up']);
  hosts.forEach(([name, ip], i) => {
    sh('ip', ['netns', 'add', name]);
    const outer = `cvh${i}`;
    sh('ip', ['link', 'add', outer, 'netns', hub, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    sh('ip', ['-n', hub, 'link', 'set', outer, 'master', 'br0']);
    sh('ip', ['-n', hub, 'link', 'set', outer, 'up']);
    sh('ip', ['-n', name, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  });
}

async function outer(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      people: { type: 'string', default: '50000' },
      serve: { type: 'string', default: '3' },
      clients: { type: 'string', default: '12' },
      'capacity-seconds': { type: 'string', default: '0' },
    },
  });
  const serve = Number(values.serve);
  if (!Number.isInteger(serve) || serve < 1 || serve > maxServe) {
    console.error(`--serve takes 1 to ${maxServe} serve hosts.`);
    process.exit(2);
  }
  if (process.getuid?.() !== 0) {
    console.error('npm run cluster needs root (network namespaces, nginx, PgBouncer).');
    process.exit(2);
  }
  installPackages();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-cluster-'));
  fs.chmodSync(work, 0o755);
  let inner: ChildProcess | undefined;
  let keepLogs = false;
  const cleanup = () => {
    inner?.kill('SIGKILL');
    removeNamespaces();
    if (keepLogs) log(`the processes' logs are kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      cleanup();
      process.exit(130);
    });
  try {
    log('building the network namespaces…');
    buildNamespaces(hostsOf(netOf(serve)));
    const self = path.resolve(import.meta.dirname, 'cluster.ts');
    inner = spawn(
      'ip',
      [
        'netns',
        'exec',
        'cvc-ctl',
        process.execPath,
        '--import',
        'tsx',
        self,
        '--inner',
        work,
        String(values.rows),
        String(values.people),
        String(serve),
        String(values.clients),
        String(values['capacity-seconds']),
      ],
      { stdio: 'inherit' },
    );
    const code = await new Promise<number | null>((resolve) => inner!.on('exit', (c) => resolve(c)));
    if (code !== 0) {
      process.exitCode = code ?? 1;
      keepLogs = true;
    }
  } finally {
    cleanup();
  }
}

if (process.argv[2] === '--inner') {
  const [work, rows, people, serve, clients, capacitySeconds] = process.argv.slice(3);
  runInner({
    work,
    rows: Number(rows),
    people: Number(people),
    hosts: netOf(Number(serve)),
    clients: Number(clients),
    capacitySeconds: Number(capacitySeconds),
  }).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  await outer(process.argv.slice(2));
}
