/**
 * The fault test's worker process: processes one data job to its end, in small batches, so the
 * test can SIGKILL it at any point. Usage: node --import tsx fault-child.ts <databaseUrl> <dataJobId>
 */
import os from 'node:os';
import { createRuntime } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { processDataJob } from './engine/process.js';

const [databaseUrl, id] = process.argv.slice(2);
const config = loadConfig(
  { NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_URL: 'http://localhost:3000' },
  { secret: 'test-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
);
const runtime = await createRuntime(config, { migrate: false });
const result = await processDataJob(runtime.ctx, Number(id), { batchSize: 2_000 });
await runtime.close();
process.stdout.write(`${result}\n`);
