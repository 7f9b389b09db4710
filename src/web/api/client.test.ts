import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, isApiError } from './client';

function answer(status: number, body: unknown) {
  return vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  );
}

describe('api()', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    const fetch = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetch);
    await expect(api('/api/auth/code', { body: { email: 'a@b.org' } })).resolves.toEqual({ ok: true });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/auth/code');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"email":"a@b.org"}' });
    expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('builds the query string, leaving out empty values', async () => {
    const fetch = answer(200, { items: [] });
    vi.stubGlobal('fetch', fetch);
    await api('/api/admin/emails', { query: { state: 'failed', cursor: undefined, q: '', limit: 50 } });
    expect(fetch.mock.calls[0][0]).toBe('/api/admin/emails?state=failed&limit=50');
  });

  it('throws an ApiError carrying the server’s code, message and details', async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, { error: { code: 'code_expired', message: 'That code has expired.', details: { x: 1 } } }),
    );
    const error = await api('/api/auth/verify', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'code_expired',
      message: 'That code has expired.',
      details: { x: 1 },
    });
    expect(isApiError(error, 'code_expired')).toBe(true);
    expect(isApiError(error, 'code_invalid')).toBe(false);
  });

  it('names a non-JSON error answer and a network failure', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })),
    );
    await expect(api('/api/me')).rejects.toMatchObject({ status: 502, code: 'unexpected_response' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(api('/api/me')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
