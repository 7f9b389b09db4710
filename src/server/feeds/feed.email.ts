/**
 * The admins' email about a feed's run: what file came, what the job did (or why it waits for
 * review, or why it failed), and a link to the job. Names of feeds and files are escaped in HTML
 * and kept out of headers beyond a cleaned subject.
 */
import type { EmailTemplate } from '../email/template.js';
import { escapeHtml, headerSafe } from '../email/template.js';

export interface FeedRunEmailPayload {
  readonly feedId: number;
  readonly feedName: string;
  readonly fileName: string;
  /** finished | waiting_review | failed */
  readonly status: 'finished' | 'waiting_review' | 'failed';
  readonly jobId: number | null;
  readonly jobStatus: string | null;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly reasons: Readonly<Record<string, number>>;
  readonly error: string | null;
}

const headline: Record<FeedRunEmailPayload['status'], string> = {
  finished: 'ran',
  waiting_review: 'waits for your review',
  failed: 'could not run',
};

function words(code: string): string {
  return code.replace(/_/g, ' ');
}

export const feedRunEmail: EmailTemplate<FeedRunEmailPayload> = {
  name: 'feed_run',
  render(p, config) {
    const subject = headerSafe(`Feed "${p.feedName}": ${p.fileName} ${headline[p.status]}`);
    const lines: string[] = [];
    if (p.status === 'finished')
      lines.push(`The file ${p.fileName} from the feed "${p.feedName}" was run (job ${p.jobStatus ?? 'finished'}).`);
    if (p.status === 'waiting_review')
      lines.push(
        `The dry run of ${p.fileName} from the feed "${p.feedName}" would refuse more rows than the feed allows, so the job has not started. Open it in Data Tools to read the refusals, then start or cancel it.`,
      );
    if (p.status === 'failed')
      lines.push(
        `The file ${p.fileName} from the feed "${p.feedName}" could not be run: ${p.error ?? 'unknown error'}`,
      );
    const counts = [
      ...Object.entries(p.outcomes).map(([k, n]) => `${words(k)}: ${n.toLocaleString('en')}`),
      ...Object.entries(p.reasons).map(([k, n]) => `  skipped, ${words(k)}: ${n.toLocaleString('en')}`),
    ];
    const jobUrl = p.jobId === null ? null : `${config.publicUrl}/admin/data-tools/${p.jobId}`;
    const feedUrl = `${config.publicUrl}/admin/feeds/${p.feedId}`;
    const text = [
      ...lines,
      '',
      ...counts,
      ...(counts.length ? [''] : []),
      ...(jobUrl ? [`The job: ${jobUrl}`] : []),
      `The feed's runs: ${feedUrl}`,
      '',
      'You get this email because you are an admin of this site; the feed’s settings say which runs are emailed.',
    ].join('\n');
    const html = [
      ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
      counts.length ? `<ul>${counts.map((c) => `<li>${escapeHtml(c.trim())}</li>`).join('')}</ul>` : '',
      jobUrl ? `<p><a href="${escapeHtml(jobUrl)}">Open the job</a></p>` : '',
      `<p><a href="${escapeHtml(feedUrl)}">The feed’s runs</a></p>`,
      '<p>You get this email because you are an admin of this site; the feed’s settings say which runs are emailed.</p>',
    ].join('\n');
    return { subject, text, html };
  },
};
