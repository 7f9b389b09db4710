import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../app.js';
import { createTestRuntime, type TestRuntime } from '../testing/test-db.js';
import { firstScreens } from './web-pages.js';

// The built web app as the server sends it: precompressed copies, cache headers, the SPA fallback.
// Serving files does not touch the database, so one dialect is enough.
describe('web app files', () => {
  const indexHtml =
    '<!doctype html><html><head><title>Convene</title><script type="module" crossorigin src="/assets/x.js"></script></head><body><div id="root"></div></body></html>';
  const js = `export const x = ${JSON.stringify('convene '.repeat(400))};\n`;
  let runtime: TestRuntime | undefined;
  let instance: FastifyInstance | undefined;
  let webRoot = '';
  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), indexHtml);
    fs.writeFileSync(path.join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(webRoot, 'assets', 'x.js'), js);
    fs.writeFileSync(path.join(webRoot, 'assets', 'x.js.br'), zlib.brotliCompressSync(js));
    fs.writeFileSync(path.join(webRoot, 'assets', 'x.js.gz'), zlib.gzipSync(js));
    // Vite's manifest: the landing screen's chunk imports the entry and a shared chunk with its own CSS.
    fs.mkdirSync(path.join(webRoot, '.vite'));
    fs.writeFileSync(
      path.join(webRoot, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/x.js', isEntry: true },
        'landing/LandingPage.tsx': {
          file: 'assets/LandingPage-1.js',
          isDynamicEntry: true,
          imports: ['index.html', '_Alert-1.js'],
        },
        '_Alert-1.js': { file: 'assets/Alert-1.js', imports: ['index.html'], css: ['assets/Alert-1.css'] },
      }),
    );
    runtime = await createTestRuntime('sqlite');
    instance = await build(runtime.ctx, { webRoot });
    await instance.ready();
  });
  afterAll(async () => {
    await instance?.close();
    await runtime?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });
  const app = () => instance!;
  const immutable = 'public, max-age=31536000, immutable';

  it('sends the brotli copy to a browser that accepts br, with a year of immutable caching', async () => {
    const res = await app().inject({ url: '/assets/x.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe(immutable);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(js);
  });

  it('sends the gzip copy when br is not accepted, and the plain file when nothing is', async () => {
    const gz = await app().inject({ url: '/assets/x.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe(immutable);
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await app().inject({ url: '/assets/x.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(immutable);
    expect(plain.body).toBe(js);
  });

  it('does not serve the compressed copies under their own names', async () => {
    expect((await app().inject('/assets/x.js.br')).statusCode).toBe(404);
  });

  it('makes browsers check index.html and other unhashed files on every use', async () => {
    for (const url of ['/', '/index.html', '/favicon.svg']) {
      const res = await app().inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('answers deep links with index.html (the app routes them), with the CSP', async () => {
    for (const url of ['/communities/5', '/admin/data-tools/3?tab=log', '/joined', '/api-docs']) {
      const res = await app().inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.body, url).toBe(indexHtml);
    }
  });

  it('names the chunks of a landing page in its HTML, so that a phone fetches them with the entry', async () => {
    const res = await app().inject('/join/chess-club?ref=poster');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<link rel="modulepreload" crossorigin href="/assets/LandingPage-1.js">');
    expect(res.body).toContain('<link rel="modulepreload" crossorigin href="/assets/Alert-1.js">');
    expect(res.body).toContain('<link rel="stylesheet" crossorigin href="/assets/Alert-1.css">');
    expect(res.body.match(/assets\/x\.js/g)).toHaveLength(1); // the entry is already in the page
    expect(res.body.indexOf('modulepreload')).toBeLessThan(res.body.indexOf('</head>'));
    expect(res.body).not.toContain('<script>'); // still no inline script for the CSP
    // a screen with no entry in the manifest gets the plain page
    expect((await app().inject('/sign-in')).body).toBe(indexHtml);
  });

  it('does not serve the manifest', async () => {
    const res = await app().inject('/.vite/manifest.json');
    expect(res.body).not.toContain('LandingPage-1.js');
  });

  it('answers unknown API paths and missing assets with a JSON 404, not the app', async () => {
    for (const url of ['/api/nope', '/api/communities/5/nothing', '/assets/gone-1234.js']) {
      const res = await app().inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({
        error: { code: 'not_found', message: 'Not found.' },
        requestId: expect.any(String),
      });
    }
  });
});

describe('preloaded first screens', () => {
  it('name screens that App.tsx loads, under the same paths', () => {
    const appTsx = fs.readFileSync(path.resolve('src/web/App.tsx'), 'utf8');
    for (const [prefix, source] of firstScreens) {
      const at = appTsx.indexOf(`import('./${source.replace(/\.tsx$/, '')}')`);
      expect(at, source).toBeGreaterThan(0);
      // the path the screen is registered under: the last path literal before its import
      const paths = [...appTsx.slice(0, at).matchAll(/'(\/[^']*)'/g)].map((m) => m[1]);
      expect(paths.at(-1), source).toMatch(new RegExp(`^${prefix}`));
    }
  });
});
