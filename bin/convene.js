#!/usr/bin/env node
// The `convene` command. Runs the compiled server (dist/, written by `npm run build`) while it is
// up to date with the sources; otherwise, and under `node --watch` (`npm run dev`, which must see
// the sources change) or with CONVENE_FROM_SOURCE=1, the TypeScript sources through tsx's loader.
// scripts/server-build.mjs says why.
import fs from 'node:fs';
import { isBuildFresh } from '../scripts/server-build.mjs';

// Node's watch mode runs the program in a child process it marks with WATCH_REPORT_DEPENDENCIES.
const watched = Boolean(process.env.WATCH_REPORT_DEPENDENCIES) || process.execArgv.some((a) => a.startsWith('--watch'));
const fromSource = watched || process.env.CONVENE_FROM_SOURCE === '1' || !isBuildFresh();
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
}
// A .env file in the working directory is read when present (variables already set win).
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const { main } = await import(fromSource ? '../src/server/cli.ts' : '../dist/server/cli.js');
await main(process.argv.slice(2));
