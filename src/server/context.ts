/** What every service needs, built once per process and passed in. */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db, Dialect } from './db/db.js';

export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
}
