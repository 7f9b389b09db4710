import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'convene-config-'));

  it('has defaults that need no set-up, and generates a secret once into the data folder', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.databaseUrl).toBe(`sqlite:${path.join(dir, 'convene.db')}`);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ DATA_DIR: dir }).secret).toBe(config.secret);
    expect(Object.isFrozen(config)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  it('keeps the SQLite file in DATA_DIR unless DATABASE_URL says otherwise', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir }).databaseUrl).toBe(`sqlite:${path.join(dir, 'convene.db')}`);
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'sqlite:./elsewhere.db' }).databaseUrl).toBe(
      'sqlite:./elsewhere.db',
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadConfig({ SECRET: 'x'.repeat(32) }).databaseUrl).toBe(
        `sqlite:${path.join(fs.realpathSync(dir), 'data', 'convene.db')}`,
      );
    } finally {
      process.chdir(cwd);
    }
    fs.rmSync(dir, { recursive: true });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PORT: 'eighty',
        PUBLIC_URL: 'ftp://x',
        SMTP_URL: 'http://mail',
        SECRET: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'PORT', 'PUBLIC_URL', 'SMTP_URL', 'SECRET']) expect(problems).toContain(name);
    expect(problems).toContain('PORT: must be a whole number from 0 to 65,535');
  });

  it('reads the job lease (JOB_LEASE_MS, a minute by default) and refuses one under a second', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ SECRET: secret }).jobLeaseMs).toBe(60_000);
    expect(loadConfig({ SECRET: secret, JOB_LEASE_MS: '3000' }).jobLeaseMs).toBe(3_000);
    expect(() => loadConfig({ SECRET: secret, JOB_LEASE_MS: '500' })).toThrow(
      /JOB_LEASE_MS: must be a whole number from 1,000 to 3,600,000/,
    );
  });

  it('strips a trailing slash from PUBLIC_URL and honours PORT', () => {
    const config = loadConfig({ PORT: '8080', PUBLIC_URL: 'https://community.example.edu/', SECRET: 'x'.repeat(32) });
    expect(config.publicUrl).toBe('https://community.example.edu');
    expect(config.port).toBe(8080);
  });

  it('runs in production mode unless told otherwise, and prints emails only in development', () => {
    const secret = { SECRET: 'x'.repeat(32) };
    expect(loadConfig(secret)).toMatchObject({ env: 'production', printEmails: false });
    expect(loadConfig({ ...secret, NODE_ENV: 'development', PRINT_EMAILS: 'true' }).printEmails).toBe(true);
    expect(() => loadConfig({ ...secret, PRINT_EMAILS: 'true' })).toThrow(/PRINT_EMAILS: .*NODE_ENV=development/);
  });
});
