/**
 * A PostgreSQL server of a test's own — Debian's binaries, a temp data directory, a free loopback
 * port, fsync off — that the test may stop and start at will (the shared server other tests use
 * must never be restarted). As root, the server runs as the `postgres` user, which owns the
 * directory.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgInstance {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly adminUrl: string;
  readonly port: number;
  /** a URL for database `name` on this server */
  urlOf(name: string): string;
  /** fast shutdown: open connections are ended (57P01), as an administrator's restart does */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stops the server and removes its directory */
  destroy(): Promise<void>;
}

/** The folder holding Debian's initdb and pg_ctl (the newest version), or undefined. */
export function findPgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter(
      (v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')) && fs.existsSync(path.join(root, v, 'bin', 'initdb')),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** initdb + start; the caller destroys it. */
export async function startPgInstance(binDir: string): Promise<PgInstance> {
  const isRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const asServerUser = (bin: string, args: string[]) =>
    isRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(binDir, bin), ...args], { cwd: dir })
      : run(path.join(binDir, bin), args, { cwd: dir });
  await asServerUser('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c synchronous_commit=off',
  ].join(' ');
  const start = () =>
    asServerUser('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  const stop = () => asServerUser('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  await start();
  const urlOf = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  let running = true;
  return {
    adminUrl: urlOf('postgres'),
    port,
    urlOf,
    start: async () => {
      await start();
      running = true;
    },
    stop: async () => {
      await stop();
      running = false;
    },
    destroy: async () => {
      if (running) await stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates database `name` on the instance. */
export async function createInstanceDatabase(instance: PgInstance, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: instance.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return instance.urlOf(name);
}
