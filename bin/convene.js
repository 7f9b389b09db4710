#!/usr/bin/env node
// The `convene` command. Runs the TypeScript sources through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
// A .env file in the working directory is read when present (variables already set win).
import fs from 'node:fs';
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const { main } = await import('../src/server/cli.ts');
await main(process.argv.slice(2));
