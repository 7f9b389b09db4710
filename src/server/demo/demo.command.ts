/** `convene demo`: loads a generated site and writes an invite CSV ready for Data Tools. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { demoStatusOf, demoUniqueIdOf, generateSite, hasDemoSite } from './generate.js';
import { seededRng } from './random.js';

export async function demoCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: 'string', default: '2000' },
      communities: { type: 'string', default: '40' },
      seed: { type: 'string', default: '42' },
      'csv-rows': { type: 'string', default: '500' },
    },
  });
  const people = Number(values.people);
  const communities = Number(values.communities);
  const seed = Number(values.seed);
  const csvRows = Number(values['csv-rows']);
  for (const [name, v, min] of [
    ['--people', people, 10],
    ['--communities', communities, 1],
    ['--seed', seed, 0],
    ['--csv-rows', csvRows, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min) {
      console.error(
        `${name} must be a whole number ≥ ${min}.\nUsage: convene demo [--people N] [--communities M] [--seed S] [--csv-rows R]`,
      );
      process.exit(2);
    }
  }
  const config = loadConfig();
  const runtime = await createRuntime(config);
  if (await hasDemoSite(runtime.ctx.db)) {
    await runtime.close();
    console.error(
      'This database already holds a demo site (generated people have fixed emails and Unique IDs, so a second run would collide).\n' +
        'Load another one into a fresh database, e.g. DATABASE_URL=sqlite:./data/demo2.db npx convene demo',
    );
    process.exit(2);
  }
  const started = Date.now();
  let lastReport = 0;
  const site = await generateSite(runtime.ctx.db, {
    people,
    communities,
    seed,
    onProgress: (what, done, total) => {
      if (Date.now() - lastReport > 1000 || done >= total) {
        lastReport = Date.now();
        process.stdout.write(`\r  ${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}   `);
      }
    },
  });
  process.stdout.write('\n');
  const csvPath = writeDemoInviteCsv(config.dataDir, site, { people, seed, rows: csvRows });
  await runtime.close();
  console.log(
    `Demo site loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${people.toLocaleString('en')} people (every status), ` +
      `${communities} communities, ${site.memberships.toLocaleString('en')} memberships.`,
  );
  console.log(`Invite CSV for Data Tools (Unique ID, Community ID, with a few bad rows): ${csvPath}`);
}

/** A CSV of "Unique ID,Community ID" rows plus one row of every kind of mistake the job log explains. */
export function writeDemoInviteCsv(
  dataDir: string,
  site: { communityIds: readonly number[] },
  spec: { people: number; seed: number; rows: number },
): string {
  const rng = seededRng(spec.seed + 1);
  const lines = ['Unique ID,Community ID,Note'];
  for (let k = 0; k < spec.rows; k++) {
    let i = rng.int(spec.people);
    while (!demoUniqueIdOf(i) || demoStatusOf(i) !== 'active') i = (i + 1) % spec.people;
    lines.push(`${demoUniqueIdOf(i)},${site.communityIds[rng.int(site.communityIds.length)]},`);
  }
  const c = site.communityIds[0];
  lines.push(`U9999999,${c},unknown person`);
  lines.push(`${demoUniqueIdOf(0)},999999,unknown community`);
  lines.push(`${demoUniqueIdOf(0)},abc,not a valid ID`);
  if (spec.rows > 0) lines.push(lines[1].replace(/,$/, ',duplicate row'));
  const dir = path.join(dataDir, 'demo');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'invite-members.csv');
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}
