/**
 * A real HTTP receiver for webhook tests and benchmarks (node's http server on 127.0.0.1): it
 * records every request (headers, raw body, the answer it gave) and can answer with an error,
 * hang without answering, or be stopped and started again on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly status: number | 'hung';
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** the next n requests get this status */
  failNext(n: number, status?: number): void;
  /** the next n requests get no answer at all (until the receiver is closed) */
  hangNext(n: number): void;
  /** stops listening (connections are refused) */
  stop(): Promise<void>;
  /** listens again on the same port */
  start(): Promise<void>;
  /** the events received with a 2xx answer, in order (batches unpacked) */
  delivered(): { id: string; type: string; data: Record<string, unknown> }[];
  reset(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { record?: boolean } = {}): Promise<WebhookReceiver> {
  const record = options.record ?? true;
  let failures: number[] = [];
  let hangs = 0;
  const hung: http.ServerResponse[] = [];
  const requests: ReceivedRequest[] = [];
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const body = record ? Buffer.concat(chunks).toString('utf8') : '';
      if (hangs > 0) {
        hangs -= 1;
        hung.push(res);
        requests.push({ headers, body, status: 'hung' });
        return;
      }
      const status = failures.shift() ?? 204;
      if (record) requests.push({ headers, body, status });
      res.writeHead(status).end();
    });
  };
  let server = http.createServer({ keepAliveTimeout: 5_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const closeServer = async () => {
    for (const res of hung.splice(0)) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    failNext(n, status = 500) {
      failures = [...failures, ...Array<number>(n).fill(status)];
    },
    hangNext(n) {
      hangs += n;
    },
    stop: closeServer,
    async start() {
      server = http.createServer({ keepAliveTimeout: 5_000 }, handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    delivered() {
      return requests
        .filter((r) => typeof r.status === 'number' && r.status < 300)
        .flatMap((r) => {
          const body = JSON.parse(r.body) as { type: string; events?: unknown[] };
          return (body.type === 'batch' ? body.events : [body]) as {
            id: string;
            type: string;
            data: Record<string, unknown>;
          }[];
        });
    },
    reset() {
      requests.length = 0;
      failures = [];
      hangs = 0;
    },
    close: closeServer,
  };
}
