/** `convene feeds list` and `convene feeds run [--now]`: for institutions that script instead of waiting for the scan. */
import { parseArgs } from 'node:util';
import { createRuntime } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { scanFeeds } from './feed-run.service.js';
import { listAllFeeds } from './feed.service.js';

const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

export async function feedsListCommand(args: string[]): Promise<void> {
  parseArgs({ args, allowPositionals: false, options: {} });
  const runtime = await createRuntime(loadConfig());
  try {
    const feeds = await listAllFeeds(runtime.ctx);
    if (feeds.length === 0) {
      console.log('No feeds.');
      return;
    }
    console.log(['id', 'state', 'type', 'folder', 'last run', 'name'].join('\t'));
    for (const f of feeds)
      console.log([f.id, f.enabled ? 'on' : 'off', f.type, f.folder, when(f.lastRunAt), f.name].join('\t'));
  } finally {
    await runtime.close();
  }
}

/**
 * Looks into every feed folder now. Without --now a file is taken only once it has not changed
 * for FEED_STABLE_MS (as the worker's scan does); with --now every file not taken yet is taken at
 * once. The jobs are run by the worker.
 */
export async function feedsRunCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: { now: { type: 'boolean', default: false } },
  });
  const runtime = await createRuntime(loadConfig());
  try {
    const { taken, waiting } = await scanFeeds(runtime.ctx, { now: values.now });
    console.log(
      `Took ${taken} file${taken === 1 ? '' : 's'}${waiting ? `; ${waiting} still changing (run again later, or with --now)` : ''}. The worker runs their jobs.`,
    );
  } finally {
    await runtime.close();
  }
}
