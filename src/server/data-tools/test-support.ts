/** Test helpers for Data Tools: a real multipart body, an admin, a site to invite into. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { buildAdmin, sessionCookie } from '../testing/factories.js';

export interface MultipartPart {
  readonly name: string;
  readonly value: string | Buffer;
  readonly fileName?: string;
}

/** A multipart/form-data body built by hand, parts in the given order. */
export function multipartBody(parts: readonly MultipartPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----convene${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.fileName !== undefined ? `form-data; name="${p.name}"; filename="${p.fileName}"` : `form-data; name="${p.name}"`;
    const type = p.fileName !== undefined ? 'Content-Type: text/csv\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(typeof p.value === 'string' ? Buffer.from(p.value) : p.value);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface UploadInput {
  readonly type?: string;
  readonly hasHeader?: boolean;
  readonly file: string | Buffer;
  readonly fileName?: string;
  /** put the fields after the file */
  readonly fieldsLast?: boolean;
}

export async function upload(app: FastifyInstance, cookie: string, input: UploadInput) {
  const fields: MultipartPart[] = [];
  if (input.type !== undefined) fields.push({ name: 'type', value: input.type });
  fields.push({ name: 'hasHeader', value: String(input.hasHeader ?? true) });
  const file = { name: 'file', value: input.file, fileName: input.fileName ?? 'people.csv' };
  const { payload, headers } = multipartBody(input.fieldsLast ? [file, ...fields] : [...fields, file]);
  return app.inject({ method: 'POST', url: '/api/admin/data-jobs', payload, headers: { ...headers, cookie } });
}

export async function adminCookie(ctx: AppContext): Promise<{ cookie: string; adminId: number }> {
  const admin = await buildAdmin(ctx);
  return { cookie: await sessionCookie(ctx, admin.id), adminId: admin.id };
}

/** Upload → map (dry run) → start → process; answers the finished job as the API shows it. */
export async function runJob(app: FastifyInstance, ctx: AppContext, cookie: string, input: UploadInput & { mapping: Record<string, unknown> }) {
  const { processDataJob } = await import('./process.js');
  const up = await upload(app, cookie, input);
  if (up.statusCode !== 201) throw new Error(`upload: ${up.body}`);
  const id = up.json().id as number;
  const mapped = await app.inject({ method: 'PUT', url: `/api/admin/data-jobs/${id}/mapping`, headers: { cookie }, payload: input.mapping });
  if (mapped.statusCode !== 200) throw new Error(`mapping: ${mapped.body}`);
  const started = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
  if (started.statusCode !== 200) throw new Error(`start: ${started.body}`);
  await processDataJob(ctx, id);
  const job = await app.inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } });
  return job.json();
}
