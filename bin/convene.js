#!/usr/bin/env node
// The `convene` command. Runs the compiled server (dist/, written by `npm run build`) while it is
// up to date with the sources; otherwise, and under `node --watch` (`npm run dev`, which must see
// the sources change), the TypeScript sources through tsx's loader. scripts/server-build.mjs says why.
import fs from 'node:fs';
import { isBuildFresh } from '../scripts/server-build.mjs';

const fromSource = process.execArgv.some((a) => a.startsWith('--watch')) || !isBuildFresh();
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
}
// A .env file in the working directory is read when present (variables already set win).
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const { main } = await import(fromSource ? '../src/server/cli.ts' : '../dist/server/cli.js');
await main(process.argv.slice(2));
