/**
 * The compiled server (scripts/server-build.mjs): what it compiles and copies, when a build is
 * stale, and the real sources compiled and run with plain `node` (the migrations from .js files).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, isBuildFresh } from '../../scripts/server-build.mjs';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

function write(base: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
  fs.writeFileSync(path.join(base, file), text);
}

/** Moves a file's modification time `seconds` into the future (an edit after the build). */
function touchLater(file: string, seconds: number): void {
  const at = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(file, at, at);
}

describe('server build', () => {
  it('compiles the TypeScript, copies plain JavaScript, leaves tests and declarations out, and knows when it is stale', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-build-'));
    temp.push(base);
    write(base, 'src/shared/label.ts', "export type Label = string;\nexport const prefix: Label = 'n=';\n");
    write(
      base,
      'src/server/main.ts',
      "import { prefix, type Label } from '../shared/label.js';\nimport { twice } from './util/twice.js';\n" +
        'export const answer = (n: number): Label => `${prefix}${twice(n)}`;\n',
    );
    write(base, 'src/server/util/twice.js', 'export const twice = (n) => n * 2;\n');
    write(base, 'src/server/main.test.ts', "throw new Error('a test is not part of the build');\n");
    write(base, 'src/server/util/twice.d.ts', 'export declare const twice: (n: number) => number;\n');
    write(base, 'src/server/README.md', 'not a source\n');

    expect(isBuildFresh({ base })).toBe(false);
    const built = await buildServer({ base });
    expect(built.files).toBe(3);
    const dist = path.join(base, 'dist');
    expect(fs.existsSync(path.join(dist, 'server/main.test.js'))).toBe(false);
    expect(fs.existsSync(path.join(dist, 'server/util/twice.d.js'))).toBe(false);
    expect(fs.existsSync(path.join(dist, 'server/README.md'))).toBe(false);
    expect(fs.readFileSync(path.join(dist, 'server/util/twice.js'), 'utf8')).toBe(
      'export const twice = (n) => n * 2;\n',
    );
    const main = (await import(pathToFileURL(path.join(dist, 'server/main.js')).href)) as {
      answer: (n: number) => string;
    };
    expect(main.answer(21)).toBe('n=42');
    expect(isBuildFresh({ base })).toBe(true);

    // an edit after the build
    touchLater(path.join(base, 'src/shared/label.ts'), 5);
    expect(isBuildFresh({ base })).toBe(false);
    await buildServer({ base });
    expect(isBuildFresh({ base })).toBe(true);
    // a file added (even an old one), then one removed
    write(base, 'src/server/extra.ts', 'export const extra = 1;\n');
    fs.utimesSync(path.join(base, 'src/server/extra.ts'), new Date(0), new Date(0));
    expect(isBuildFresh({ base })).toBe(false);
    await buildServer({ base });
    expect(fs.existsSync(path.join(dist, 'server/extra.js'))).toBe(true);
    fs.rmSync(path.join(base, 'src/server/extra.ts'));
    expect(isBuildFresh({ base })).toBe(false);
    // a test file changing does not make the build stale; the removed file's output is gone
    await buildServer({ base });
    expect(fs.existsSync(path.join(dist, 'server/extra.js'))).toBe(false);
    touchLater(path.join(base, 'src/server/main.test.ts'), 10);
    expect(isBuildFresh({ base })).toBe(true);
  });

  it('compiles the real server, which migrates a new SQLite database with plain node (no TypeScript loader)', async () => {
    // Inside the project, so that the compiled modules find its packages.
    const outdir = fs.mkdtempSync(path.join(process.cwd(), 'node_modules', '.convene-build-test-'));
    temp.push(outdir);
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-build-db-'));
    temp.push(data);
    await buildServer({ outdir });
    const file = path.join(data, 'convene.db');
    const cli = pathToFileURL(path.join(outdir, 'server/cli.js')).href;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', `(await import(${JSON.stringify(cli)})).main(['migrate'])`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            NODE_OPTIONS: '',
            NODE_ENV: 'test',
            DATABASE_URL: `sqlite:${file}`,
            DATA_DIR: data,
            LOG_LEVEL: 'warn',
          },
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const migrations = fs
      .readdirSync(path.join(outdir, 'server/db/migrations'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.replace(/\.js$/, ''))
      .sort();
    expect(migrations.length).toBeGreaterThan(10);
    const db = new Database(file, { readonly: true });
    try {
      const applied = db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[];
      expect(applied.map((r) => r.name)).toEqual(migrations);
    } finally {
      db.close();
    }
  });
});
