/**
 * The contract of `/api/openapi.json`: every operation documents a 2xx answer with a JSON schema
 * (or, for a download, its content type) and its error answers in the one error shape.
 * The document does not depend on the database, so SQLite alone builds it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../testing/test-app.js';
import { createTestRuntime, type TestRuntime } from '../testing/test-db.js';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
type Operation = { responses?: Record<string, ResponseObject> };

/** Content types an answer that is not JSON may declare instead (downloads, Prometheus text). */
const downloadTypes = ['text/csv', 'image/png', 'image/svg+xml', 'text/plain'];
const methods = ['get', 'put', 'post', 'patch', 'delete'];

describe('/api/openapi.json', () => {
  let runtime: TestRuntime;
  let app: FastifyInstance;
  let paths: Record<string, Record<string, Operation>>;
  let components: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    runtime = await createTestRuntime('sqlite');
    app = await buildTestApp(runtime);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    paths = doc.paths;
    components = doc.components?.schemas ?? {};
  });

  /** The schema itself, or the component its $ref names. */
  const resolve = (schema: Record<string, unknown> | undefined) => {
    const ref = schema?.$ref;
    return typeof ref === 'string' ? components[ref.replace('#/components/schemas/', '')] : schema;
  };
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  const operations = () =>
    Object.entries(paths).flatMap(([path, item]) =>
      methods.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] as Operation })),
    );

  it('every operation has a 2xx answer with a JSON schema, or a declared download or redirect', () => {
    const documented = (op: Operation) =>
      Object.entries(op.responses ?? {}).some(([status, response]) => {
        if (/^3\d\d$/.test(status)) return Boolean(response.description);
        if (!/^2\d\d$/.test(status)) return false;
        const content = response.content ?? {};
        const json = content['application/json']?.schema;
        return (
          (json !== undefined && Object.keys(json).length > 0) ||
          downloadTypes.some((type) => content[type]?.schema !== undefined)
        );
      });
    const all = operations();
    const missing = all.filter(({ op }) => !documented(op)).map(({ name }) => name);
    expect(all.length).toBeGreaterThan(60);
    expect({ count: missing.length, missing }).toEqual({ count: 0, missing: [] });
  });

  it('every operation documents its errors in the one error shape', () => {
    const withoutErrors = operations()
      .filter(({ op }) => {
        const errors = Object.entries(op.responses ?? {}).filter(([status]) => /^[45]\d\d$/.test(status));
        return (
          errors.length === 0 ||
          errors.some(([, response]) => {
            const schema = resolve(response.content?.['application/json']?.schema) as
              { properties?: { error?: { required?: string[] } } } | undefined;
            return !schema?.properties?.error?.required?.includes('code');
          })
        );
      })
      .map(({ name }) => name);
    expect({ count: withoutErrors.length, withoutErrors }).toEqual({ count: 0, withoutErrors: [] });
  });
});
