/**
 * A landing page's logo or cover image: uploaded by its managers through a real multipart body,
 * checked by its bytes, kept in the database, served with its type and caching headers on the
 * public page while the page is on, and removable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { expect, it } from 'vitest';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { sniffImage } from './image-sniff.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'test-images', name));

/** A real PNG (8-bit RGB) of the given size: a gradient, or noise that does not compress. */
function png(width: number, height: number, noise = false): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // filter byte 0 (none), then the row's pixels
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      raw[i] = noise ? Math.floor(Math.random() * 256) : x % 256;
      raw[i + 1] = noise ? Math.floor(Math.random() * 256) : y % 256;
      raw[i + 2] = noise ? Math.floor(Math.random() * 256) : 128;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter choice, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function multipart(parts: { name: string; value: Buffer | string; fileName?: string; type?: string }[]) {
  const boundary = `----convene-image-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.fileName
      ? `form-data; name="${p.name}"; filename="${p.fileName}"`
      : `form-data; name="${p.name}"`;
    const type = p.fileName ? `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(typeof p.value === 'string' ? Buffer.from(p.value) : p.value);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb('landing page image', (t) => {
  const app = useTestApp(t);

  async function put(cookie: string, communityId: number, file: Buffer | null, alt?: string, fileName = 'logo.png') {
    const parts: { name: string; value: Buffer | string; fileName?: string; type?: string }[] = [];
    if (alt !== undefined) parts.push({ name: 'alt', value: alt });
    if (file) parts.push({ name: 'file', value: file, fileName, type: 'image/png' });
    const { payload, headers } = multipart(parts);
    return app().inject({
      method: 'PUT',
      url: `/api/communities/${communityId}/landing/image`,
      payload,
      headers: { ...headers, cookie },
    });
  }

  it('a leader uploads a PNG; the page shows it with the community’s name as alt text and serves its bytes', async () => {
    const ctx = t().ctx;
    const c = await buildCommunity(ctx, { landingEnabled: true });
    const leader = await buildPerson(ctx);
    await addMembership(ctx, c.id, leader.id, 'joined', 'leader');
    const cookie = await sessionCookie(ctx, leader.id);
    const bytes = png(320, 160);

    const up = await put(cookie, c.id, bytes);
    expect(up.statusCode, up.body).toBe(200);
    const image = up.json();
    expect(image).toMatchObject({
      alt: c.name,
      altText: null,
      width: 320,
      height: 160,
      contentType: 'image/png',
      bytes: bytes.length,
    });
    expect(image.url).toMatch(new RegExp(`^/api/landing/${c.slug}/image\\?v=\\w+$`));

    const page = (await app().inject({ url: `/api/landing/${c.slug}` })).json();
    expect(page.community.image).toEqual(image);
    const settings = await app().inject({ url: `/api/communities/${c.id}/landing`, headers: { cookie } });
    expect(settings.json().image).toEqual(image);

    // Anyone may fetch it (signed out); under the versioned address it is cached for a year.
    const served = await app().inject({ url: image.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.rawPayload.equals(bytes)).toBe(true);
    // Any other address of it is revalidated each time, and a current copy answers 304.
    const plain = await app().inject({ url: `/api/landing/${c.slug}/image` });
    expect(plain.headers['cache-control']).toBe('public, no-cache');
    const etag = String(plain.headers.etag);
    const again = await app().inject({ url: `/api/landing/${c.slug}/image`, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('accepts JPEG and WebP by their bytes whatever the file is called, keeps an admin’s alt text, replaces the earlier image', async () => {
    const ctx = t().ctx;
    const c = await buildCommunity(ctx, { landingEnabled: true });
    const admin = await buildAdmin(ctx);
    const cookie = await sessionCookie(ctx, admin.id);
    const first = await put(cookie, c.id, fixture('logo.jpg'), '  Class of 1998 crest  ', 'crest.png');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      contentType: 'image/jpeg',
      width: 240,
      height: 120,
      alt: 'Class of 1998 crest',
      altText: 'Class of 1998 crest',
    });
    t().clock.advance(1_000);
    const second = await put(cookie, c.id, fixture('logo.webp'), '', 'banner.bin');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ contentType: 'image/webp', width: 240, height: 120, alt: c.name });
    expect(second.json().url).not.toBe(first.json().url);
    const served = await app().inject({ url: second.json().url });
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.rawPayload.equals(fixture('logo.webp'))).toBe(true);
    const rows = await ctx.db
      .selectFrom('landing_image')
      .select('community_id')
      .where('community_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a file that is too large, not PNG/JPEG/WebP, of absurd dimensions or missing, with its own code, and keeps the earlier image', async () => {
    const ctx = t().ctx;
    const c = await buildCommunity(ctx, { landingEnabled: true });
    const admin = await buildAdmin(ctx);
    const cookie = await sessionCookie(ctx, admin.id);
    const kept = await put(cookie, c.id, png(64, 64));
    expect(kept.statusCode).toBe(200);

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>x()</script></svg>',
    );
    const gif = Buffer.from('GIF89a\x10\x00\x10\x00\x80\x00\x00', 'latin1');
    const cases: [string, Buffer | null, number, string][] = [
      ['a 2.9 MB PNG', png(1000, 1000, true), 413, 'image_too_large'],
      ['an SVG named .png', svg, 415, 'image_type_unsupported'],
      ['a GIF', gif, 415, 'image_type_unsupported'],
      ['a PNG cut after its signature', png(64, 64).subarray(0, 20), 415, 'image_type_unsupported'],
      ['a 7000 × 20 strip', png(7000, 20), 400, 'image_dimensions'],
      ['a 10 × 10 dot', png(10, 10), 400, 'image_dimensions'],
      ['a 900 × 100 banner (9:1)', png(900, 100), 400, 'image_dimensions'],
      ['no file', null, 400, 'image_missing'],
    ];
    for (const [what, file, status, code] of cases) {
      if (file && what.startsWith('a 2.9 MB')) expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
      const res = await put(cookie, c.id, file);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.code, what).toBe(code);
    }
    const tooLongAlt = await put(cookie, c.id, png(64, 64), 'x'.repeat(201));
    expect(tooLongAlt.json().error.code).toBe('image_alt_too_long');
    const json = await app().inject({
      method: 'PUT',
      url: `/api/communities/${c.id}/landing/image`,
      payload: { file: 'x' },
      headers: { cookie },
    });
    expect(json.statusCode).toBe(415);

    const page = (await app().inject({ url: `/api/landing/${c.slug}` })).json();
    expect(page.community.image).toEqual(kept.json());
  });

  it('is removable by a manager only; a page switched off serves no image', async () => {
    const ctx = t().ctx;
    const c = await buildCommunity(ctx, { landingEnabled: true });
    const admin = await buildAdmin(ctx);
    const cookie = await sessionCookie(ctx, admin.id);
    const member = await buildPerson(ctx);
    await addMembership(ctx, c.id, member.id, 'joined', 'member');
    const memberCookie = await sessionCookie(ctx, member.id);
    const { url } = (await put(cookie, c.id, png(64, 64))).json();

    expect((await put(memberCookie, c.id, png(64, 64))).statusCode).toBe(403);
    const del = (who: string) =>
      app().inject({ method: 'DELETE', url: `/api/communities/${c.id}/landing/image`, headers: { cookie: who } });
    expect((await del(memberCookie)).statusCode).toBe(403);

    await ctx.db.updateTable('community').set({ landing_enabled: 0 }).where('id', '=', c.id).execute();
    expect((await app().inject({ url })).statusCode).toBe(404);
    await ctx.db.updateTable('community').set({ landing_enabled: 1 }).where('id', '=', c.id).execute();
    expect((await app().inject({ url })).statusCode).toBe(200);

    const removed = await del(cookie);
    expect(removed.statusCode).toBe(200);
    expect((await app().inject({ url })).statusCode).toBe(404);
    expect((await app().inject({ url: `/api/landing/${c.slug}` })).json().community.image).toBeNull();
    const twice = await del(cookie);
    expect(twice.statusCode).toBe(404);
  });
});

it('reads the size of lossy and lossless WebP headers, and refuses what only starts like an image', () => {
  const vp8 = Buffer.alloc(30);
  vp8.write('RIFF', 0, 'latin1');
  vp8.write('WEBPVP8 ', 8, 'latin1');
  vp8.set([0x9d, 0x01, 0x2a], 23);
  vp8.writeUInt16LE(300, 26);
  vp8.writeUInt16LE(200, 28);
  expect(sniffImage(vp8)).toEqual({ type: 'image/webp', width: 300, height: 200 });
  const vp8l = Buffer.alloc(30);
  vp8l.write('RIFF', 0, 'latin1');
  vp8l.write('WEBPVP8L', 8, 'latin1');
  vp8l[20] = 0x2f;
  vp8l.writeUInt32LE(((100 - 1) << 14) | (400 - 1), 21);
  expect(sniffImage(vp8l)).toEqual({ type: 'image/webp', width: 400, height: 100 });
  expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08]))).toBeNull();
  expect(sniffImage(Buffer.from('RIFF0000WEBPVP9 0000000000000000000', 'latin1'))).toBeNull();
});
