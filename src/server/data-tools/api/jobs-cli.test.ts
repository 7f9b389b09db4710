/**
 * `convene jobs run`: the real CLI (bin/convene.js in a child process) against the test database
 * (both databases): upload, mapping by header names, run with --wait, progress and totals, exit
 * codes 0 / 2 / 1; the job's finish is a `data_job.finished` webhook event.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataJobTypes } from '../../../shared/enums.js';
import { buildAdmin, buildCommunity, buildPerson } from '../../testing/factories.js';
import { describeEachDb } from '../../testing/test-db.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.js';
import { deliverOnce } from '../../webhooks/sender.js';
import { createWebhook } from '../../webhooks/webhook.service.js';

let receiver: WebhookReceiver;
let dir: string;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-jobs-cli-'));
});
afterAll(async () => {
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function runCli(databaseUrl: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/convene.js', 'jobs', 'run', ...args], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        SECRET: 'jobs-cli-test-secret-0123456789abcdef0123456789',
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        WEBHOOK_ALLOW_LOOPBACK: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachDb(
  'convene jobs run',
  (t) => {
    it('invites by Unique ID with --wait: progress, totals, exit 2 when a row is refused and 0 when none is', async () => {
      receiver.reset();
      const ctx = t().ctx;
      const admin = await buildAdmin(ctx);
      const { secret } = await createWebhook(
        ctx,
        { person: admin, via: 'session', sessionId: null, tokenId: null },
        { url: receiver.url, events: ['data_job.finished'] },
      );
      expect(secret).toMatch(/^whsec_/);
      const community = await buildCommunity(ctx);
      const ada = await buildPerson(ctx, { uniqueId: 'CLI-ADA' });
      const bo = await buildPerson(ctx, { uniqueId: 'CLI-BO' });
      const file = path.join(dir, `invite-${t().dialect}.csv`);
      fs.writeFileSync(
        file,
        `Community ID,Unique ID\r\n${community.id},CLI-ADA\r\n${community.id},CLI-BO\r\n${community.id},CLI-NOBODY\r\n`,
      );
      const refused = await runCli(t().databaseUrl, [
        '--type',
        'invite',
        '--file',
        file,
        '--key',
        'unique_id',
        '--wait',
      ]);
      expect(refused.stderr).toBe('');
      expect(refused.code).toBe(2);
      expect(refused.stdout).toMatch(/Job \d+: 3 rows from invite-\w+\.csv \(invite_to_community, key unique_id\)/);
      expect(refused.stdout).toContain('Progress: 3 of 3 rows (completed)');
      expect(refused.stdout).toContain('Totals: invited 2, skipped 1');
      expect(refused.stdout).toContain('Refused rows by reason: unknown_person 1');
      const invited = await ctx.db
        .selectFrom('membership')
        .select(['person_id', 'state', 'source'])
        .where('community_id', '=', community.id)
        .orderBy('person_id')
        .execute();
      expect(invited).toEqual([
        { person_id: ada.id, state: 'invited', source: 'data_job' },
        { person_id: bo.id, state: 'invited', source: 'data_job' },
      ]);

      // every row accepted: exit 0 (already invited is not a refusal)
      const clean = path.join(dir, `clean-${t().dialect}.csv`);
      fs.writeFileSync(clean, `Unique ID,Community ID\n CLI-ADA,${community.id}\n`);
      const ok = await runCli(t().databaseUrl, ['--type', 'invite', '--file', clean, '--key', 'unique_id', '--wait']);
      expect([ok.code, ok.stderr]).toEqual([0, '']);
      expect(ok.stdout).toContain('Totals: already_invited 1');

      // the jobs' finish went to the webhook outbox in the job's transaction, and is delivered
      // (by the CLI's own worker, or here: the CLI's rows carry real times, so this clock moves past them)
      t().clock.set(Date.now() + 120_000);
      while (await deliverOnce(ctx, 'test-sender'));
      const finished = receiver.delivered().filter((e) => e.type === 'data_job.finished');
      expect(finished.map((e) => e.data)).toMatchObject([
        { type: 'invite_to_community', status: 'completed', rows: 3, totals: { outcomes: { invited: 2, skipped: 1 } } },
        { type: 'invite_to_community', status: 'completed', rows: 1, totals: { outcomes: { already_invited: 1 } } },
      ]);
    });

    it('queues without --wait; exits 1 with a clear message on a bad key, type or file', async () => {
      const ctx = t().ctx;
      await buildAdmin(ctx);
      const file = path.join(dir, `deactivate-${t().dialect}.csv`);
      await buildPerson(ctx, { uniqueId: 'CLI-GONE' });
      fs.writeFileSync(file, 'Unique ID\nCLI-GONE\n');
      const queued = await runCli(t().databaseUrl, ['--type', 'deactivate', '--file', file, '--key', 'unique_id']);
      expect(queued.code).toBe(0);
      expect(queued.stdout).toMatch(/Job (\d+) is queued; a running worker takes it\./);
      const id = Number(/Job (\d+) is queued/.exec(queued.stdout)?.[1]);
      expect(
        (await ctx.db.selectFrom('data_job').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      ).toBe('queued');

      const noKey = await runCli(t().databaseUrl, ['--type', 'deactivate', '--file', file, '--key', 'profile_id']);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('no column of the file names the key profile_id (its columns: Unique ID)');
      const badType = await runCli(t().databaseUrl, ['--type', 'rename', '--file', file, '--key', 'unique_id']);
      expect([badType.code, badType.stderr.split('\n')[0]]).toEqual([
        1,
        `--type must be one of: invite, ${dataJobTypes.join(', ')}`,
      ]);
      const missing = await runCli(t().databaseUrl, [
        '--type',
        'invite',
        '--file',
        path.join(dir, 'nope.csv'),
        '--key',
        'unique_id',
      ]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no such file');
    });
  },
  { webhookAllowLoopback: true },
);
