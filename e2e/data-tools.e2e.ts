/**
 * Data Tools in a real browser: an admin runs an "Invite members to community" job from a CSV built
 * on the `convene demo` site (with bad rows), through every wizard step, watches it run, reads the
 * log and downloads it; an invited person then signs in and finds the invitation on Home. Nobody
 * receives an invitation email: the SMTP peer only ever sees sign-in codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoEmailOf, demoStatusOf, demoUniqueIdOf } from '../src/server/demo/generate';
import { describeE2e, startE2e, type E2e } from './harness';

const demoPeople = 20_000;
const demoCommunities = 12;
/**
 * communities per active person in the generated file: about 17,000 × 12 ≈ 200,000 rows, so that
 * the job runs long enough (a few seconds) for its progress to be seen between the page's polls
 */
const communitiesPerPerson = 12;

interface JobJson {
  readonly id: number;
  readonly status: string;
  readonly rowCount: number;
  readonly counters: { readonly outcomes: Record<string, number>; readonly reasons: Record<string, number> };
  readonly dryRun: { readonly outcomes: Record<string, number>; readonly reasons: Record<string, number> } | null;
}

interface ResultJson {
  readonly rowNumber: number;
  readonly values: string[];
  readonly outcome: string;
  readonly reason: string | null;
  readonly communityId: number | null;
}

function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

/** GET as the page's signed-in person. */
async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  if (!response.ok()) throw new Error(`GET ${path}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The signed-in person's open invitations, as Home lists them. */
async function openInvitations(page: Page): Promise<{ community: { id: number; name: string } }[]> {
  return (
    await getJson<{ invitations: { community: { id: number; name: string } }[] }>(
      page,
      '/api/me/recommended-communities',
    )
  ).invitations;
}

/** Index of the demo person with this Unique ID ("U0000123" → 122). */
function demoIndexOf(uniqueId: string): number {
  return Number(uniqueId.slice(1)) - 1;
}

/**
 * The job's file: every active demo person invited to a few communities (some of which the demo
 * already made them a member of, or invited them to), then the demo CSV's bad rows, plus an
 * inactive person's row.
 */
function buildInviteCsv(demoCsv: string): { csv: string; dataRows: number } {
  const lines = demoCsv.trim().split(/\r?\n/);
  const header = lines[0];
  const communityIds = [
    ...new Set(
      lines
        .slice(1)
        .map((line) => line.split(',')[1])
        .filter((v) => /^\d+$/.test(v) && v !== '999999'),
    ),
  ]
    .map(Number)
    .sort((a, b) => a - b);
  expect(communityIds.length).toBeGreaterThanOrEqual(communitiesPerPerson);
  const rows: string[] = [];
  for (let i = 0; i < demoPeople; i++) {
    if (demoStatusOf(i) !== 'active') continue;
    for (let k = 0; k < communitiesPerPerson; k++)
      rows.push(`${demoUniqueIdOf(i)},${communityIds[(i + k) % communityIds.length]},`);
  }
  const badRows = lines.slice(1).filter((line) => /,[A-Za-z ]+$/.test(line));
  expect(badRows.map((line) => line.split(',').pop())).toEqual([
    'unknown person',
    'unknown community',
    'not a valid ID',
    'duplicate row',
  ]);
  let inactive = 0;
  while (demoStatusOf(inactive) !== 'inactive') inactive++;
  rows.push(...badRows, `${demoUniqueIdOf(inactive)},${communityIds[0]},inactive person`);
  return { csv: `${[header, ...rows].join('\r\n')}\r\n`, dataRows: rows.length };
}

/**
 * A full-page screenshot from the top (the header is sticky), with no hover or focus ring in it;
 * `viewport` keeps to the window, for a dialog whose overlay covers only the window.
 */
async function shot(e2e: E2e, page: Page, name: string, options: { readonly viewport?: boolean } = {}) {
  await page.mouse.move(0, 0);
  await page.evaluate((keepFocus) => {
    if (!keepFocus) (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  }, options.viewport === true);
  if (!options.viewport) {
    await e2e.screenshot(page, name);
    return;
  }
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots', `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
}

/** The same screen on a phone (390 × 844) as `<name>-phone.png`; the window gets its size back. */
async function phoneShot(e2e: E2e, page: Page, name: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await shot(e2e, page, `${name}-phone`);
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

async function chooseOption(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describeE2e('data tools (browser)', () => {
  let e2e: E2e;
  let demoCsv: string;
  let csv: string;
  let dataRows: number;
  let admin: Page;
  let jobId: number;
  /** the invited person's signed-in page, and the community of their invitation */
  let invitee: Page;
  let inviteeCommunityId: number;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    const demo = await e2e.runCli([
      'demo',
      '--people',
      String(demoPeople),
      '--communities',
      String(demoCommunities),
      '--csv-rows',
      '300',
    ]);
    const demoCsvPath = /Invite CSV[^:]*: (\S+\.csv)/.exec(demo.stdout)?.[1];
    expect(demoCsvPath, demo.stdout).toBeDefined();
    demoCsv = fs.readFileSync(demoCsvPath!, 'utf8');
    ({ csv, dataRows } = buildInviteCsv(demoCsv));

    // The admin is a demo person (so the log and the invitations name them), made admin by the CLI.
    let adminIndex = 100;
    while (demoStatusOf(adminIndex) !== 'active') adminIndex++;
    const { stdout } = await e2e.runCli(['admin', 'add', demoEmailOf(adminIndex)]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    expect(link, stdout).toBeDefined();
    admin = await e2e.newPage({ width: 1280, height: 1100 });
    await admin.goto(link!);
    await admin
      .getByRole('button', { name: 'Continue' })
      .click()
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await admin.locator('body').innerText()}\n${e2e.serverOutput()}`);
      });
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('an admin uploads the invite CSV, maps Unique ID and Community ID, reads the dry run, starts and watches it', async () => {
    const page = admin;
    await page.goto(e2e.url('/admin/data-tools'));
    await page.getByRole('heading', { level: 1, name: 'Data Tools' }).waitFor();
    await page.getByText('No jobs yet').waitFor();
    await page.getByRole('link', { name: 'New Job' }).first().click();

    // 1. Type: each type explained, with a sample file.
    await page.getByRole('heading', { level: 1, name: 'New Job' }).waitFor();
    const sample = await page.request.get('/api/admin/data-jobs/samples/invite_to_community.csv');
    expect(sample.ok()).toBe(true);
    expect(await sample.text()).toMatch(/Community ID/);
    await page.getByRole('radio', { name: /Invite members to community/ }).click();
    await shot(e2e, page, 'data-tools-1-type');
    await phoneShot(e2e, page, 'data-tools-1-type');
    await page.getByRole('button', { name: 'Next: upload the file' }).click();

    // 2. Upload: a broken file is refused with its line number and nothing is kept.
    await page.getByText('Drag a CSV file here').waitFor();
    await shot(e2e, page, 'data-tools-2-upload');
    await phoneShot(e2e, page, 'data-tools-2-upload');
    e2e.allowBrowserErrors(/status of 400/); // the broken file's refusal
    const fileInput = page.locator('input[type=file]');
    await fileInput.setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Unique ID,Community ID\r\nU0000001,1\r\nU0000002,"2\r\nU0000003,3\r\n'),
    });
    const refusal = page.getByRole('alert').filter({ hasText: 'broken.csv was not accepted' });
    await refusal.waitFor();
    await refusal.getByText(/^Line \d+$/).waitFor();
    await shot(e2e, page, 'data-tools-2-upload-refused');
    expect(new URL(page.url()).pathname).toBe('/admin/data-tools/new');

    await fileInput.setInputFiles({ name: 'spring-invites.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    // 3. Map fields: the guessed columns are chosen; the admin confirms Unique ID and Community ID.
    await page.getByRole('heading', { name: 'Key field' }).waitFor({ timeout: 60_000 });
    jobId = Number(/\/admin\/data-tools\/(\d+)$/.exec(page.url())?.[1]);
    expect(jobId).toBeGreaterThan(0);
    await page.getByText(`${dataRows.toLocaleString('en-US')} records`).waitFor();
    await chooseOption(page, 'key-column', 'Unique ID');
    await page.getByRole('radio', { name: /^Unique ID/ }).check();
    await chooseOption(page, 'field-communityColumn', 'Community ID');
    await expect.poll(() => page.getByTestId('key-column').inputValue()).toBe('Unique ID');
    await expect.poll(() => page.getByTestId('field-communityColumn').inputValue()).toBe('Community ID');
    await shot(e2e, page, 'data-tools-3-map');
    await phoneShot(e2e, page, 'data-tools-3-map');
    await page.getByRole('button', { name: 'Next: check every row' }).click();

    // 4. Review: file, records, mapping and the dry run by outcome and reason, with sample rows.
    await page.getByRole('heading', { name: 'Dry run' }).waitFor();
    const reasons = page.getByTestId('skip-reasons');
    await reasons.waitFor({ timeout: 60_000 });
    for (const reason of [
      'Unknown person ID',
      'Unknown Community ID',
      'Community ID must be a whole number',
      'Duplicate row in the file',
      'Person is inactive',
    ]) {
      await reasons.getByText(reason).waitFor();
    }
    await reasons.getByRole('button', { name: /Unknown person ID/ }).click();
    await reasons.getByRole('cell', { name: 'U9999999', exact: true }).waitFor();
    // A repeated row names the earlier row of the file it repeats (row 1 is the header).
    const fileLines = csv.trim().split(/\r?\n/);
    const duplicateRow = fileLines.findIndex((line) => line.endsWith(',duplicate row')) + 1;
    const repeated = fileLines[duplicateRow - 1].split(',').slice(0, 2).join(',');
    const firstRow = fileLines.findIndex((line) => line.startsWith(`${repeated},`)) + 1;
    expect(firstRow).toBeGreaterThan(1);
    expect(firstRow).toBeLessThan(duplicateRow);
    await reasons.getByRole('button', { name: /sample rows: Duplicate row in the file/ }).click();
    await reasons.getByRole('cell', { name: `Duplicate of row ${firstRow}`, exact: true }).waitFor();
    const review = await getJson<JobJson>(page, `/api/admin/data-jobs/${jobId}`);
    expect(review.status).toBe('mapped');
    expect(review.dryRun?.reasons).toMatchObject({
      unknown_person: 1,
      unknown_community: 1,
      invalid_community_id: 1,
      duplicate_row: 1,
      person_inactive: 1,
    });
    expect(review.dryRun?.outcomes.invited).toBeGreaterThan(1000);
    await page.getByText('spring-invites.csv').first().waitFor();
    await shot(e2e, page, 'data-tools-4-review');
    await phoneShot(e2e, page, 'data-tools-4-review');

    // 5. Run: live progress; the admin leaves and comes back while it runs.
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // The page polls the job: the count of rows done moves while the worker runs it.
    const progress = page.getByTestId('progress-rows');
    await progress.waitFor();
    await progress
      .filter({ hasText: /^[\d,]+ of [\d,]+ rows done$/ })
      .waitFor({ timeout: 60_000 })
      .catch((error: unknown) => {
        throw new Error(
          `The Run step never showed rows done while the job ran: were GET /api/admin/data-jobs/${jobId} polls answered during the run?\n${String(error)}`,
        );
      });
    await shot(e2e, page, 'data-tools-5-run');
    await page.getByRole('link', { name: '← Data Tools' }).click();
    const table = page.getByTestId('data-jobs-table');
    await table.getByText('spring-invites.csv').waitFor();
    await table.getByRole('link', { name: 'Invite to community' }).click();

    // 6. Log: totals by outcome and reason, rows paged and filtered, the CSV.
    await page.getByRole('heading', { name: 'Row by row' }).waitFor({ timeout: 120_000 });
    await page.getByText(`Completed: all ${dataRows.toLocaleString('en-US')} rows processed`).waitFor();
    const done = await getJson<JobJson>(page, `/api/admin/data-jobs/${jobId}`);
    expect(done.status).toBe('completed');
    expect(done.counters.outcomes).toEqual(review.dryRun?.outcomes);
    expect(done.counters.reasons).toEqual(review.dryRun?.reasons);
    const outcomeSum = Object.values(done.counters.outcomes).reduce((a, b) => a + b, 0);
    expect(outcomeSum).toBe(dataRows);

    await page.getByTestId('results-table').waitFor();
    await page.getByTestId('results-filter').click();
    await page.getByRole('option', { name: /^Skipped: Unknown Community ID/ }).click();
    const rows = page.getByTestId('results-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByText('Unknown Community ID').waitFor();
    await page.getByTestId('results-filter').click();
    await page.getByRole('option', { name: /^Skipped: Duplicate row in the file/ }).click();
    await rows.first().getByText(`Duplicate of row ${firstRow}`, { exact: true }).waitFor();
    await page.getByTestId('results-filter').click();
    await page.getByRole('option', { name: 'All rows' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    await page.getByTestId('results-filter').click();
    await page.getByRole('option', { name: 'Skipped (5)' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    await shot(e2e, page, 'data-tools-6-log');
    await phoneShot(e2e, page, 'data-tools-6-log');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const logCsv = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(logCsv[0]).toBe('Row,Unique ID,Community ID,Note,Outcome,Reason,Reason in words');
    expect(logCsv).toHaveLength(dataRows + 1);
    expect(logCsv.find((line) => line.includes('U9999999'))).toMatch(/,skipped,unknown_person,Unknown person ID$/);
    expect(logCsv[duplicateRow - 1]).toMatch(
      new RegExp(`^${duplicateRow},.*,skipped,duplicate_row,Duplicate of row ${firstRow}$`),
    );
  }, 240_000);

  it('an invited person signs in and sees the invitation under Recommended Communities; no invitation email was sent', async () => {
    const invited = await getJson<{ items: ResultJson[] }>(
      admin,
      `/api/admin/data-jobs/${jobId}/results?outcome=invited&limit=1`,
    );
    const row = invited.items[0];
    expect(row.outcome).toBe('invited');
    const email = demoEmailOf(demoIndexOf(row.values[0]));

    const page = await e2e.newPage();
    invitee = page;
    inviteeCommunityId = row.communityId!;
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(email);
    const sentAt = Date.now();
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(email, (m) => /sign-in code/.test(m.subject) && m.receivedAt >= sentAt - 5_000);
    await page.getByLabel('6-digit code').fill(codeOf(mail.text));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();

    const invitation = (await openInvitations(page)).find((item) => item.community.id === row.communityId);
    expect(invitation, 'the job’s invitation is among the open ones').toBeDefined();
    const name = invitation!.community.name;
    const section = page.getByRole('region', { name: 'Recommended Communities' });
    await section.getByText(name, { exact: true }).first().waitFor();
    await shot(e2e, page, 'data-tools-7-invitee-home');

    // Only sign-in codes ever reached the SMTP peer: the job emailed nobody.
    expect(e2e.smtp.messages.length).toBeGreaterThan(0);
    expect(
      e2e.smtp.messages.filter((m) => !/sign-in code/.test(m.subject)).map((m) => `${m.to.join(',')}: ${m.subject}`),
    ).toEqual([]);
    expect(e2e.browserErrors.filter((e) => !/status of 40[0-9]/.test(e))).toEqual([]);
  }, 120_000);

  it('Undo, after a confirm, revokes the invitations the job created that are still open', async () => {
    await admin.goto(e2e.url(`/admin/data-tools/${jobId}`));
    await admin.getByRole('heading', { name: 'Row by row' }).waitFor();
    const before = await getJson<JobJson>(admin, `/api/admin/data-jobs/${jobId}`);
    await admin.getByRole('button', { name: 'Undo' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Undo this job?' });
    await dialog.getByText('People who already joined stay members').waitFor();
    await shot(e2e, admin, 'data-tools-8-undo', { viewport: true });
    await dialog.getByRole('button', { name: 'Revoke invitations' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin
      .getByText(`Undo revoked ${before.counters.outcomes.invited.toLocaleString('en-US')} of its invitations.`, {
        exact: false,
      })
      .waitFor();
    await expect.poll(() => admin.getByRole('button', { name: 'Undo' }).count()).toBe(0);

    expect((await openInvitations(invitee)).map((item) => item.community.id)).not.toContain(inviteeCommunityId);
    await invitee.context().close();
  });

  it('the invite CSV that `convene demo` writes maps by itself and its bad rows are explained', async () => {
    const upload = await admin.request.post('/api/admin/data-jobs', {
      // as the site's own pages send it: an unsafe request riding on the session needs our Origin
      headers: { origin: new URL(admin.url()).origin },
      multipart: {
        type: 'invite_to_community',
        hasHeader: 'true',
        file: { name: 'invite-members.csv', mimeType: 'text/csv', buffer: Buffer.from(demoCsv) },
      },
    });
    expect(upload.status(), await upload.text()).toBe(201);
    const job = (await upload.json()) as JobJson & {
      columns: string[];
      suggestedMapping: Record<string, unknown> | null;
    };
    const rows = demoCsv.trim().split(/\r?\n/).length - 1;
    expect(job.rowCount).toBe(rows);
    expect(job.columns).toEqual(['Unique ID', 'Community ID', 'Note']);
    // Same headers as the first job's file: its mapping is remembered and offered, already chosen.
    expect(job.suggestedMapping).toMatchObject({ keyColumn: 1, keyType: 'unique_id', communityColumn: 2 });
    expect((job as unknown as { mappingRemembered: boolean }).mappingRemembered).toBe(true);
    await admin.goto(e2e.url(`/admin/data-tools/${job.id}`));
    await admin.getByText('Mapping remembered from an earlier job').waitFor();
    await expect.poll(() => admin.getByTestId('key-column').inputValue()).toBe('Unique ID');
    await expect.poll(() => admin.getByTestId('field-communityColumn').inputValue()).toBe('Community ID');

    const mapped = await admin.request.put(`/api/admin/data-jobs/${job.id}/mapping`, {
      headers: { origin: new URL(admin.url()).origin },
      data: job.suggestedMapping,
    });
    expect(mapped.status(), await mapped.text()).toBe(200);
    const { dryRun } = (await mapped.json()) as JobJson;
    expect(dryRun?.reasons).toMatchObject({ unknown_person: 1, unknown_community: 1, invalid_community_id: 1 });
    expect(dryRun?.reasons.duplicate_row).toBeGreaterThanOrEqual(1);
    expect(Object.values(dryRun?.outcomes ?? {}).reduce((a, b) => a + b, 0)).toBe(rows);
    expect(dryRun?.outcomes.invited).toBeGreaterThan(rows / 2);

    // Both jobs are in the Data Tools table, with who ran them and what they did.
    await admin.goto(e2e.url('/admin/data-tools'));
    const table = admin.getByTestId('data-jobs-table');
    await table.getByText('invite-members.csv').waitFor();
    await table.getByText('Ready to start').waitFor();
    await table
      .getByText(/[\d,]+ invited/)
      .first()
      .waitFor();
    await shot(e2e, admin, 'data-tools-0-jobs');
  });

  it('a pre-verify job: the guessed fields are chosen, and rows that cannot be used are skipped with their reason', async () => {
    const page = admin;
    const file = [
      'Unique ID,First Name,Last Name,Email,Member Type',
      'N0000001,Nia,Okafor,nia.okafor@example.org,Alumni',
      'N0000002,Omar,Haddad,,Student',
      ',Lena,Berg,lena.berg@example.org,Faculty/Staff',
      ',No,Identifier,,Alumni',
      'N0000003,Pia,Sorensen,pia@example.org,Astronaut',
      'N0000004,Raj,Mehta,not-an-email,Alumni',
    ].join('\r\n');
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('radio', { name: /Pre-verify members/ }).click();
    await page.getByRole('button', { name: 'Next: upload the file' }).click();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'new-alumni.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });

    await page.getByRole('heading', { name: 'Key field' }).waitFor();
    await expect.poll(() => page.getByTestId('key-column').inputValue()).toBe('Unique ID');
    for (const [field, column] of [
      ['firstNameColumn', 'First Name'],
      ['lastNameColumn', 'Last Name'],
      ['emailColumn', 'Email'],
      ['memberTypeColumn', 'Member Type'],
    ]) {
      await expect.poll(() => page.getByTestId(`field-${field}`).inputValue()).toBe(column);
    }
    await page.getByRole('button', { name: 'Next: check every row' }).click();
    const reasons = page.getByTestId('skip-reasons');
    for (const reason of ['No Unique ID and no email', 'Unknown member type', 'Not a valid email address'])
      await reasons.getByText(reason).waitFor();
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    await page.getByText('Completed: all 6 rows processed').waitFor({ timeout: 60_000 });
    const totals = page.getByTestId('outcome-totals');
    await totals.getByText('Pre-verified (new)').waitFor();
    const jobId = Number(/\/admin\/data-tools\/(\d+)$/.exec(page.url())?.[1]);
    const done = await getJson<JobJson>(page, `/api/admin/data-jobs/${jobId}`);
    expect(done.counters.outcomes).toEqual({ created: 3, skipped: 3 });
    expect(done.counters.reasons).toEqual({ missing_id_and_email: 1, unknown_member_type: 1, invalid_email: 1 });
  });

  it('a file without a header row maps by column number, and Cancel on the review leaves the site unchanged', async () => {
    const page = admin;
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('radio', { name: /Deactivate members/ }).click();
    await page.getByRole('button', { name: 'Next: upload the file' }).click();
    await page.getByLabel('The first row is data (the file has no header row)').check();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'leavers.csv', mimeType: 'text/csv', buffer: Buffer.from('U0000002\r\nU0000003\r\n') });

    await page.getByText('has 2 records in 1 column').waitFor();
    await chooseOption(page, 'key-column', 'Column 1');
    await page.getByRole('button', { name: 'Next: check every row' }).click();
    await page.getByRole('heading', { name: 'Dry run' }).waitFor();
    await page.getByTestId('outcome-totals').getByText('Deactivated').waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: 'Data Tools' }).waitFor();
    const row = page.getByTestId('data-jobs-table').getByRole('row').filter({ hasText: 'leavers.csv' });
    await row.getByText('Canceled').waitFor();
    await row.getByText('2 records').waitFor();
    const jobs = await getJson<{ items: (JobJson & { fileName: string })[] }>(page, '/api/admin/data-jobs');
    const leavers = jobs.items.find((job) => job.fileName === 'leavers.csv');
    expect(leavers?.status).toBe('canceled');
    expect(Object.values(leavers?.counters.outcomes ?? {}).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
