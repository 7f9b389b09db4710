/** The Email log's search and filters: part of the recipient's address, the kind (template) and the state. */
import { beforeAll, expect, it } from 'vitest';
import type { EmailTemplate } from './template.js';
import { buildAdmin, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { queueEmail } from './outbox.service.js';
import { senderDeps, sendDueEmails } from './sender.js';
import { registries } from '../modules.js';

const notice: EmailTemplate<{ n: number }> = {
  name: 'test.notice',
  render: (p) => ({ subject: `Notice ${p.n}`, text: `Notice ${p.n}`, html: `<p>Notice ${p.n}</p>` }),
};
const templates = { ...registries.emailTemplates, 'test.notice': notice };

describeEachDb('admin email log: search and filters', (t) => {
  const app = useTestApp(t, { registries: { ...registries, emailTemplates: templates } });
  let cookie = '';
  let n = 0;
  const tag = `f${process.pid}`;
  const queue = (to: string, template: 'test_email' | 'test.notice') =>
    queueEmail(t().ctx, t().ctx.db, {
      dedupeKey: `filters:${++n}`,
      to,
      template,
      payload: template === 'test_email' ? { requestedBy: 'admin' } : { n },
      category: 'transactional',
    });
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    cookie = await sessionCookie(t().ctx, (await buildAdmin(t().ctx)).id);
    ids.janeTest = (await queue(`jane_doe.${tag}@example.org`, 'test_email'))!;
    ids.janeNotice = (await queue(`jane_doe.${tag}@example.org`, 'test.notice'))!;
    ids.joeNotice = (await queue(`joe.${tag}@other.example`, 'test.notice'))!;
    // no SMTP: these three are kept; the next stays queued
    await sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, { transport: null, templates, hooks: registries.deliveryHooks, batchSize: 10 }),
    );
    ids.janeQueued = (await queue(`JaneDoe.${tag}@example.org`, 'test.notice'))!;
  });

  const list = async (query: string) => {
    const res = await app().inject({ url: `/api/admin/emails?${query}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: number }[]; nextCursor: string | null; kinds: string[] };
  };
  const idsOf = async (query: string) => (await list(query)).items.map((i) => i.id);

  it('searches by part of the recipient address, any case; % and _ are plain characters', async () => {
    expect(await idsOf(`to=${encodeURIComponent(`JANE_DOE.${tag}`)}`)).toEqual([ids.janeNotice, ids.janeTest]);
    expect(await idsOf(`to=${encodeURIComponent(`janedoe.${tag}`)}`)).toEqual([ids.janeQueued]);
    expect(await idsOf(`to=${encodeURIComponent(`jane%.${tag}`)}`)).toEqual([]);
    expect(await idsOf(`to=${encodeURIComponent(`jane_doe%${tag}`)}`)).toEqual([]);
    expect(await idsOf(`to=${tag}%40other.example`)).toEqual([ids.joeNotice]);
  });

  it('filters by kind and by state, together with the search, and pages within the filter', async () => {
    expect(await idsOf(`to=${tag}&kind=test.notice`)).toEqual([ids.janeQueued, ids.joeNotice, ids.janeNotice]);
    expect(await idsOf(`to=${tag}&kind=test.notice&state=kept`)).toEqual([ids.joeNotice, ids.janeNotice]);
    expect(await idsOf(`to=${tag}&kind=test_email&state=queued`)).toEqual([]);
    const first = await list(`to=${tag}&kind=test.notice&limit=2`);
    expect(first.items.map((i) => i.id)).toEqual([ids.janeQueued, ids.joeNotice]);
    expect(await idsOf(`to=${tag}&kind=test.notice&limit=2&cursor=${first.nextCursor}`)).toEqual([ids.janeNotice]);
  });

  it('lists the kinds for the filter, and refuses a kind the site does not send', async () => {
    expect((await list('limit=1')).kinds).toEqual(
      expect.arrayContaining(['test.notice', 'test_email', 'sign_in_code']),
    );
    const unknown = await app().inject({ url: '/api/admin/emails?kind=no_such_kind', headers: { cookie } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('email_kind_unknown');
    const malformed = await app().inject({ url: '/api/admin/emails?kind=Not%20A%20Kind', headers: { cookie } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
  });
});
