import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for.js';
import { startPollLoop } from './poll-loop.js';

function recordingLog(): { log: FastifyBaseLogger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('poll loop while the database is unreachable', () => {
  it('says so once, backs off, and resumes when the database answers', async () => {
    const { log, lines } = recordingLog();
    let calls = 0;
    let successes = 0;
    const loop = startPollLoop(
      'test',
      async () => {
        calls += 1;
        if (calls <= 4) throw refused();
        successes += 1;
        return false;
      },
      { intervalMs: 5, log, outageCapMs: 40 },
    );
    await waitFor(() => successes >= 2, { what: 'the loop to tick again after the outage' });
    await loop.stop();
    expect(lines.filter((l) => l.msg === 'test: database unavailable; pausing')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'test: the database answers again; resuming')).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 50)).toHaveLength(0);
  });

  it('keeps logging other failures as errors', async () => {
    const { log, lines } = recordingLog();
    let calls = 0;
    const loop = startPollLoop(
      'test',
      async () => {
        calls += 1;
        if (calls <= 2) throw new Error('boom');
        return false;
      },
      { intervalMs: 5, log },
    );
    await waitFor(() => calls >= 3, { what: 'a third tick' });
    await loop.stop();
    expect(lines.filter((l) => l.msg === 'test: tick failed')).toHaveLength(2);
  });
});
