// bench/lib/tmp-rss.ts
import os from "node:os";

// src/server/app.ts
import fs4 from "node:fs";
import path5 from "node:path";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { sql as sql12 } from "kysely";

// src/server/config.ts
import crypto2 from "node:crypto";
import fs2 from "node:fs";
import path2 from "node:path";
import { z } from "zod";

// src/server/db/db.ts
import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
function dialectOfUrl(url) {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgres";
  if (url.startsWith("sqlite:")) return "sqlite";
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(":")[0]}:")`);
}
function sqlitePathOfUrl(url) {
  return url.slice("sqlite:".length).replace(/^\/\//, "");
}
function createDb(url, options = {}) {
  const dialect = dialectOfUrl(url);
  if (dialect === "sqlite") {
    const file = sqlitePathOfUrl(url);
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("cache_size = -32768");
    const db2 = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db: db2, dialect, where: file, close: () => db2.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on("error", () => {
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  return { db, dialect, where: safe, close: () => db.destroy() };
}
function isPostgres(db) {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

// src/server/config.ts
var int = (min, max) => {
  const error = `must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
var envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("sqlite:./data/convene.db").refine((v) => {
    try {
      dialectOfUrl(v);
      return true;
    } catch {
      return false;
    }
  }, "must start with sqlite: (e.g. sqlite:./data/convene.db) or postgres://"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65535).default(3e3),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://community.example.edu" }).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional(),
  MAIL_FROM: z.string().min(3).default("Convene <no-reply@localhost>"),
  EMAIL_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
  SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -hex 32)").optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  UPLOAD_MAX_BYTES: int(1, 10 * 1024 ** 3).default(200 * 1024 * 1024),
  UPLOAD_MAX_ROWS: int(1, 5e7).default(2e6),
  TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false"),
  WORKER: z.enum(["true", "false", "1", "0"]).default("true"),
  SITE_NAME: z.string().min(1).max(100).default("Convene")
});
var ConfigError = class extends Error {
  constructor(problems) {
    super(`Configuration is not valid:
${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
  problems;
};
function loadConfig(env = process.env, overrides = {}) {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const dataDir = path2.resolve(overrides.dataDir ?? e.DATA_DIR);
  const config2 = {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    host: e.HOST,
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    emailRatePerSecond: e.EMAIL_RATE_PER_SECOND,
    secret: overrides.secret ?? e.SECRET ?? readOrCreateSecret(dataDir),
    dataDir,
    logLevel: e.LOG_LEVEL,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadMaxRows: e.UPLOAD_MAX_ROWS,
    trustProxy: e.TRUST_PROXY === "true" || e.TRUST_PROXY === "1",
    worker: e.WORKER === "true" || e.WORKER === "1",
    siteName: e.SITE_NAME,
    ...overrides
  };
  return Object.freeze(config2);
}
function readOrCreateSecret(dataDir) {
  const file = path2.join(dataDir, "secret.key");
  try {
    return fs2.readFileSync(file, "utf8").trim();
  } catch {
    fs2.mkdirSync(dataDir, { recursive: true });
    const secret = crypto2.randomBytes(32).toString("hex");
    fs2.writeFileSync(file, `${secret}
`, { mode: 384, flag: "wx" });
    return fs2.readFileSync(file, "utf8").trim();
  }
}
function isHttps(config2) {
  return config2.publicUrl.startsWith("https://");
}

// src/shared/errors.ts
var errorCatalogue = {
  bad_request: { status: 400, message: "The request is not valid." },
  validation_failed: { status: 400, message: "Some fields are not valid." },
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  unsupported_media_type: { status: 415, message: "Send JSON (Content-Type: application/json)." },
  payload_too_large: { status: 413, message: "The request is too large." },
  unauthenticated: { status: 401, message: "Sign in to continue." },
  forbidden: { status: 403, message: "You may not do that." },
  cross_site_request: { status: 403, message: "Requests from other sites are refused." },
  not_found: { status: 404, message: "Not found." },
  conflict: { status: 409, message: "That conflicts with the current state." },
  rate_limited: { status: 429, message: "Too many requests. Wait a moment and try again." },
  internal_error: { status: 500, message: "Something went wrong on our side." },
  service_unavailable: { status: 503, message: "The service is not ready." },
  // auth
  code_invalid: { status: 400, message: "That code is not valid. Check the latest email and try again." },
  code_expired: { status: 400, message: "That code has expired. Ask for a new one." },
  code_attempts_exceeded: { status: 429, message: "Too many wrong codes. Ask for a new code." },
  daily_attempts_exceeded: { status: 429, message: "Too many wrong codes today for this address. Try again tomorrow." },
  sign_in_other_browser: { status: 400, message: "Finish signing in from the browser where you asked for the code." },
  link_invalid: { status: 400, message: "This sign-in link is not valid or was already used. Ask for a new one." },
  account_pending: { status: 403, message: "Your account is waiting for approval by a site admin." },
  account_inactive: { status: 403, message: "Your account is not active. Contact a site admin." },
  sign_up_closed: { status: 403, message: "This site does not accept new sign-ups." },
  invalid_email: { status: 400, message: "That is not a valid email address." },
  // people
  last_admin: { status: 409, message: "The last site admin cannot be removed or deactivated." },
  email_taken: { status: 409, message: "Another person already has that email address." },
  unique_id_taken: { status: 409, message: "Another person already has that Unique ID." },
  invalid_status_transition: { status: 409, message: "That action does not fit the person\u2019s status." },
  unknown_member_type: { status: 400, message: "That member type is not configured on this site." },
  // communities
  slug_taken: { status: 409, message: "Another community already uses that address." },
  name_taken: { status: 409, message: "Another community already has that name." },
  // invitations
  invitation_limit_exceeded: { status: 400, message: "At most 250 recipients per invitation." },
  no_recipients: { status: 400, message: "Add at least one recipient." },
  message_too_long: { status: 400, message: "The message may be at most 2,000 characters." },
  resend_too_soon: { status: 429, message: "This invitation was emailed less than an hour ago." },
  idempotency_key_reused: { status: 409, message: "That Idempotency-Key was used for a different request." },
  // data tools
  csv_invalid: { status: 400, message: "The file is not a valid CSV file." },
  csv_too_large: { status: 413, message: "The file is larger than the limit." },
  csv_too_many_rows: { status: 413, message: "The file has more rows than the limit." },
  mapping_invalid: { status: 400, message: "The field mapping is not valid." },
  job_state: { status: 409, message: "The job cannot do that in its current state." },
  // email
  unsubscribe_link_invalid: { status: 404, message: "This unsubscribe link is not valid. Use the link from the most recent email." },
  // landing
  landing_disabled: { status: 404, message: "This page is not available." },
  profile_required: { status: 400, message: "Tell us your name to finish joining." }
};

// src/server/errors.ts
var AppError = class extends Error {
  constructor(code, message, details) {
    super(message ?? errorCatalogue[code].message);
    this.code = code;
    this.details = details;
    this.status = errorCatalogue[code].status;
  }
  code;
  details;
  status;
};
function notFound(what) {
  return new AppError("not_found", what ? `${what} not found.` : void 0);
}

// src/server/auth/crypto.ts
import crypto3 from "node:crypto";
function hmac(secret, purpose2, value) {
  return crypto3.createHmac("sha256", secret).update(`${purpose2}\0${value}`).digest("hex");
}
function randomToken(bytes = 16) {
  return crypto3.randomBytes(bytes).toString("base64url");
}
function randomCode() {
  return crypto3.randomInt(0, 1e6).toString().padStart(6, "0");
}
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto3.timingSafeEqual(x, y);
}

// src/server/auth/api-token.service.ts
var PREFIX = "cvn_";
async function resolveApiToken(ctx, token) {
  if (!token.startsWith(PREFIX)) return void 0;
  const hash = hmac(ctx.config.secret, "api_token", token);
  const row = await ctx.db.selectFrom("api_token").innerJoin("person", "person.id", "api_token.person_id").selectAll("person").select(["api_token.id as token_id", "api_token.revoked_at", "api_token.last_used_at"]).where("api_token.token_hash", "=", hash).executeTakeFirst();
  if (!row || row.revoked_at !== null || row.status !== "active" || row.is_admin !== 1) return void 0;
  const now = ctx.clock.now();
  if (row.last_used_at === null || now - row.last_used_at > 6e4) {
    await ctx.db.updateTable("api_token").set({ last_used_at: now }).where("id", "=", row.token_id).execute();
  }
  const { token_id: _t, revoked_at: _r, last_used_at: _l, ...person } = row;
  return person;
}

// src/shared/limits.ts
var limits = {
  invitationRecipients: 250,
  invitationMessageChars: 2e3,
  nameChars: 50,
  emailChars: 254,
  typeaheadMinChars: 2,
  typeaheadResults: 10,
  signInCodeTtlMs: 10 * 60 * 1e3,
  signInCodeMaxAttempts: 5,
  signInDailyFailures: 20,
  codeSendMinIntervalMs: 60 * 1e3,
  codeSendsPerHour: 5,
  sessionIdleMs: 7 * 24 * 60 * 60 * 1e3,
  sessionAbsoluteMs: 30 * 24 * 60 * 60 * 1e3,
  resendIntervalMs: 60 * 60 * 1e3,
  pageSize: 50
};

// src/server/auth/cookies.ts
function sessionCookieName(config2) {
  return isHttps(config2) ? "__Host-convene_session" : "convene_session";
}
function attemptCookieName(config2) {
  return isHttps(config2) ? "__Host-convene_attempt" : "convene_attempt";
}
function cookieOptions(config2, maxAgeSeconds) {
  return { path: "/", httpOnly: true, sameSite: "lax", secure: isHttps(config2), ...maxAgeSeconds ? { maxAge: maxAgeSeconds } : {} };
}
var ATTEMPT_COOKIE_SECONDS = 60 * 60;
var tokenShape = /^[A-Za-z0-9_-]{22,64}$/;
function attemptTokenOf(request, config2) {
  const value = request.cookies[attemptCookieName(config2)];
  return value && tokenShape.test(value) ? value : void 0;
}
function issueAttemptCookie(request, reply, config2) {
  const token = attemptTokenOf(request, config2) ?? randomToken(16);
  reply.setCookie(attemptCookieName(config2), token, cookieOptions(config2, ATTEMPT_COOKIE_SECONDS));
  return token;
}
function clearAttemptCookie(reply, config2) {
  reply.clearCookie(attemptCookieName(config2), cookieOptions(config2));
}
function setSessionCookie(reply, config2, token) {
  reply.setCookie(sessionCookieName(config2), token, cookieOptions(config2, Math.floor(limits.sessionAbsoluteMs / 1e3)));
}
function clearSessionCookie(reply, config2) {
  reply.clearCookie(sessionCookieName(config2), cookieOptions(config2));
}

// src/server/auth/session.repository.ts
async function insertSession(db, row) {
  await db.insertInto("session").values(row).execute();
}
async function findSessionWithPerson(db, id3) {
  const session = await db.selectFrom("session").selectAll().where("id", "=", id3).executeTakeFirst();
  if (!session) return void 0;
  const person = await db.selectFrom("person").selectAll().where("id", "=", session.person_id).executeTakeFirst();
  return person ? { session, person } : void 0;
}
async function touchSession(db, id3, at) {
  await db.updateTable("session").set({ last_seen_at: at }).where("id", "=", id3).execute();
}
async function deleteSession(db, id3) {
  await db.deleteFrom("session").where("id", "=", id3).execute();
}
async function deletePersonSessions(db, personId) {
  await db.deleteFrom("session").where("person_id", "=", personId).execute();
}
async function revokePersonApiTokens(db, personId, now) {
  await db.updateTable("api_token").set({ revoked_at: now }).where("person_id", "=", personId).where("revoked_at", "is", null).execute();
}

// src/server/auth/session.service.ts
var TOUCH_EVERY_MS = 6e4;
function sessionIdOf(ctx, token) {
  return hmac(ctx.config.secret, "session", token);
}
async function createSession(ctx, db, personId, userAgent) {
  const token = randomToken(16);
  const now = ctx.clock.now();
  const expiresAt = now + limits.sessionAbsoluteMs;
  await insertSession(db, {
    id: sessionIdOf(ctx, token),
    person_id: personId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: userAgent?.slice(0, 200) ?? null
  });
  return { token, expiresAt };
}
async function resolveSession(ctx, token) {
  const id3 = sessionIdOf(ctx, token);
  const found = await findSessionWithPerson(ctx.db, id3);
  if (!found) return void 0;
  const now = ctx.clock.now();
  const { session, person } = found;
  if (now >= session.expires_at || now - session.last_seen_at >= limits.sessionIdleMs || person.status !== "active") {
    await deleteSession(ctx.db, id3);
    return void 0;
  }
  if (now - session.last_seen_at >= TOUCH_EVERY_MS) await touchSession(ctx.db, id3, now);
  return { sessionId: id3, person };
}
async function endSession(ctx, sessionId) {
  await deleteSession(ctx.db, sessionId);
}

// src/server/http/auth-hook.ts
function registerAuthHook(app2) {
  const { ctx } = app2;
  const cookieName = sessionCookieName(ctx.config);
  app2.decorateRequest("caller", null);
  app2.addHook("onRequest", async (request) => {
    request.caller = null;
    const auth = request.headers.authorization;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const person = match ? await resolveApiToken(ctx, match[1]) : void 0;
      if (!person) throw new AppError("unauthenticated", "The API token is not valid.");
      request.caller = { person, via: "token", sessionId: null };
      return;
    }
    const token = request.cookies[cookieName];
    if (!token) return;
    const found = await resolveSession(ctx, token);
    if (found) request.caller = { person: found.person, via: "session", sessionId: found.sessionId };
  });
}

// src/server/http/csrf.ts
var SAFE = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
function registerCsrf(app2) {
  const publicOrigin = new URL(app2.ctx.config.publicUrl).origin;
  app2.addHook("onRequest", async (request) => {
    if (SAFE.has(request.method) || request.routeOptions.config?.csrf === false) return;
    if (request.headers.authorization) return;
    const site = request.headers["sec-fetch-site"];
    if (site !== void 0) {
      if (site === "cross-site") throw new AppError("cross_site_request");
      return;
    }
    const origin = request.headers.origin;
    if (origin !== void 0 && origin !== "null") {
      const host = request.headers.host;
      const sameHost = host !== void 0 && (origin === `http://${host}` || origin === `https://${host}`);
      if (origin !== publicOrigin && !sameHost) throw new AppError("cross_site_request");
    } else if (origin === "null") {
      throw new AppError("cross_site_request");
    }
  });
}

// src/server/http/error-handler.ts
var frameworkCodes = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_REQ_FILE_TOO_LARGE: "payload_too_large",
  FST_PARTS_LIMIT: "payload_too_large",
  FST_FILES_LIMIT: "payload_too_large",
  FST_FIELDS_LIMIT: "payload_too_large",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "unsupported_media_type"
};
var multipartParseError = /^(Multipart: Boundary not found|Unexpected end of (multipart data|form|file)|Malformed part header)/;
var isMultipart = (type) => type !== void 0 && /^multipart\//i.test(type);
function sendError(reply, code, message, details) {
  const body = { error: { code, message: message ?? errorCatalogue[code].message, ...details !== void 0 ? { details } : {} } };
  return reply.code(errorCatalogue[code].status).type("application/json; charset=utf-8").send(body);
}
function validationDetails(error) {
  return (error.validation ?? []).map((v) => {
    const issuePath = v.params?.issue?.path;
    const path7 = Array.isArray(issuePath) ? issuePath.join(".") : (v.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
    return { path: path7, message: v.params?.issue?.message ?? v.message ?? "is not valid" };
  });
}
function registerErrorHandler(app2) {
  app2.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error.code, error.message, error.details);
    if (error.validation) {
      const details = validationDetails(error);
      const first = details[0];
      const message = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : void 0;
      return sendError(reply, "validation_failed", message, details);
    }
    const mapped = error.code ? frameworkCodes[error.code] : void 0;
    if (mapped) return sendError(reply, mapped);
    if (error.statusCode === 429) return sendError(reply, "rate_limited");
    if (isMultipart(request.headers["content-type"]) && multipartParseError.test(error.message)) {
      request.log.info({ reason: error.message }, "malformed multipart body");
      return sendError(reply, "bad_request", "The multipart body is malformed or incomplete.");
    }
    if (error.code === "22003") {
      request.log.info({ code: "22003" }, "number out of range");
      return sendError(reply, "bad_request", "A number in the request is out of range.");
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code }, "client error");
      return sendError(reply, error.statusCode === 404 ? "not_found" : "bad_request");
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, "internal_error");
  });
}
function sendFrameworkError(error, reply) {
  reply.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'").header("x-content-type-options", "nosniff");
  return sendError(reply, error.code === "FST_ERR_MAX_PARAM_LENGTH" ? "not_found" : "bad_request");
}

// src/server/http/log.ts
import { stdSerializers } from "pino";
function redactUrl(url) {
  const [path7] = url.split("?");
  return path7.replace(/\/(auth\/link|invite|unsubscribe|api\/invite|api\/unsubscribe)\/[^/]+/g, "/$1/***");
}
function maskEmail(email) {
  const at = email.lastIndexOf("@");
  if (at < 0) return "***";
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}
function maskEmailsIn(text) {
  return text.replace(/[^\s<>()[\]{},;:"'@]{1,64}@[^\s<>()[\]{},;:"'@]{1,255}/g, (address) => maskEmail(address));
}
function serializeError(error) {
  if (!(error instanceof Error)) return typeof error === "string" ? maskEmailsIn(error) : error;
  const out = { ...stdSerializers.err(error) };
  for (const [key, value] of Object.entries(out)) if (typeof value === "string") out[key] = maskEmailsIn(value);
  return out;
}
function loggerOptions(config2) {
  return {
    level: config2.env === "test" ? "silent" : config2.logLevel,
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'], censor: "***" },
    serializers: {
      err: serializeError,
      req: (req) => ({ method: req.method, url: redactUrl(req.url), id: req.id })
    }
  };
}

// src/server/db/row-id.ts
var MAX_ROW_ID = 2147483647;
function fitsRowId(n) {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_ROW_ID;
}

// src/server/http/input-guard.ts
function holdsNul(value, depth = 0) {
  if (typeof value === "string") return value.includes("\0");
  if (depth > 20 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes("\0") || holdsNul(v, depth + 1));
}
function idBeyondRange(params) {
  if (params === null || typeof params !== "object") return false;
  return Object.entries(params).some(([name2, value]) => (name2 === "id" || name2.endsWith("Id")) && typeof value === "string" && /^\d+$/.test(value) && Number(value) > MAX_ROW_ID);
}
function registerInputGuard(app2) {
  app2.addHook("preValidation", async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw new AppError("validation_failed", "Text may not contain NUL characters.");
    }
    if (idBeyondRange(request.params)) throw new AppError("not_found");
  });
}

// src/server/http/web-pages.ts
import fs3 from "node:fs";
import path3 from "node:path";
var firstScreens = [
  ["/join", "landing/LandingPage.tsx"],
  ["/sign-in", "auth/SignInPage.tsx"],
  ["/auth/link", "auth/SignInLinkPage.tsx"],
  ["/invite", "people/InviteWelcomePage.tsx"],
  ["/unsubscribe", "email/UnsubscribePage.tsx"]
];
function webPages(webRoot) {
  const indexHtml = fs3.readFileSync(path3.join(webRoot, "index.html"), "utf8");
  const manifest = readManifest(webRoot);
  const pages = firstScreens.map(([prefix, source]) => [prefix, withPreloads(indexHtml, manifest, source)]);
  return (url) => {
    const pathname = url.split(/[?#]/, 1)[0];
    const page2 = pages.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
    return page2 ? page2[1] : indexHtml;
  };
}
function readManifest(webRoot) {
  try {
    return JSON.parse(fs3.readFileSync(path3.join(webRoot, ".vite", "manifest.json"), "utf8"));
  } catch {
    return null;
  }
}
function withPreloads(indexHtml, manifest, source) {
  if (!manifest?.[source] || !indexHtml.includes("</head>")) return indexHtml;
  const chunks = /* @__PURE__ */ new Set();
  const visit = (key) => {
    if (chunks.has(key) || !manifest[key]) return;
    chunks.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(source);
  const named = (file) => indexHtml.includes(`"/${file}"`);
  const links = [];
  for (const key of chunks) {
    const { file, css = [] } = manifest[key];
    if (!named(file)) links.push(`<link rel="modulepreload" crossorigin href="/${file}">`);
    for (const sheet of css) if (!named(sheet)) links.push(`<link rel="stylesheet" crossorigin href="/${sheet}">`);
  }
  if (!links.length) return indexHtml;
  return indexHtml.replace("</head>", `  ${[...new Set(links)].join("\n    ")}
  </head>`);
}

// src/server/email/email.routes.ts
import { z as z3 } from "zod";

// src/shared/email.ts
import { z as z2 } from "zod";

// src/shared/enums.ts
var personStatuses = ["pre_verified", "invited", "pending", "active", "inactive"];
var privacies = ["public", "private", "invite_only"];
var membershipStates = ["invited", "joined", "requested", "dismissed", "left", "removed"];
var landingPolicies = ["anyone", "domains", "known"];
var outboxStates = ["queued", "sending", "sent", "failed", "kept"];
var dataJobTypes = ["invite_to_community", "preverify", "deactivate", "reactivate"];
var keyTypes = ["unique_id", "preverification_id", "profile_id"];

// src/shared/email.ts
var emailLogQuerySchema = z2.object({
  state: z2.enum(outboxStates).optional(),
  /** from the previous page's nextCursor */
  cursor: z2.string().regex(/^\d{1,15}$/, "is not a cursor from this list").optional(),
  limit: z2.coerce.number().int().min(1).max(200).optional()
});
var emailLogItemSchema = z2.object({
  id: z2.number(),
  to: z2.string(),
  template: z2.string(),
  /** rendered now from the template and the stored data */
  subject: z2.string(),
  category: z2.enum(["transactional", "marketing"]),
  state: z2.enum(outboxStates),
  attempts: z2.number(),
  lastError: z2.string().nullable(),
  createdAt: z2.number(),
  sentAt: z2.number().nullable(),
  /** when a queued email is tried next */
  nextAttemptAt: z2.number().nullable()
});
var emailLogPageSchema = z2.object({
  items: z2.array(emailLogItemSchema),
  nextCursor: z2.string().nullable()
});
var emailDetailSchema = emailLogItemSchema.extend({
  messageId: z2.string(),
  /** null when hidden: a sign-in email that went out (its code is the person's alone) */
  text: z2.string().nullable(),
  html: z2.string().nullable(),
  headers: z2.record(z2.string(), z2.string()),
  contentHidden: z2.boolean(),
  expiresAt: z2.number().nullable()
});
var testEmailRequestSchema = z2.object({ to: z2.email().max(254) });
var unsubscribeStatusSchema = z2.object({
  /** the address, partly masked */
  email: z2.string(),
  unsubscribed: z2.boolean()
});

// src/server/auth/caller.ts
function requireCaller(request) {
  if (!request.caller) throw new AppError("unauthenticated");
  return request.caller;
}
function requireAdmin(request) {
  const caller = requireCaller(request);
  if (caller.person.is_admin !== 1) throw new AppError("forbidden");
  return caller;
}

// src/server/email/outbox.repository.ts
import crypto4 from "node:crypto";
async function enqueueEmail(db, email, now, messageDomain) {
  const row = await db.insertInto("email_outbox").values({
    dedupe_key: email.dedupeKey,
    to_address: email.to,
    template: email.template,
    payload: JSON.stringify(email.payload),
    category: email.category,
    state: "queued",
    attempts: 0,
    next_attempt_at: now,
    expires_at: email.expiresAt ?? null,
    message_id: `<${crypto4.randomUUID()}@${messageDomain}>`,
    last_error: null,
    sent_at: null,
    created_at: now,
    updated_at: now
  }).onConflict((oc) => oc.column("dedupe_key").doNothing()).returning("id").executeTakeFirst();
  return row?.id;
}
async function findOutboxRow(db, id3) {
  return db.selectFrom("email_outbox").selectAll().where("id", "=", id3).executeTakeFirst();
}
async function listOutboxRows(db, filter) {
  return db.selectFrom("email_outbox").selectAll().$if(filter.state !== void 0, (qb) => qb.where("state", "=", filter.state)).$if(filter.beforeId !== void 0, (qb) => qb.where("id", "<", filter.beforeId)).orderBy("id", "desc").limit(filter.limit).execute();
}

// src/server/email/outbox.service.ts
function queueEmail(ctx, db, email) {
  return enqueueEmail(db, email, ctx.clock.now(), new URL(ctx.config.publicUrl).hostname);
}

// src/server/email/template.ts
var htmlEscapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function escapeHtml(value) {
  return value.replace(/[&<>"']/g, (c) => htmlEscapes[c]);
}
function textToHtml(value) {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, "<br>\n");
}
function headerSafe(value, max = 200) {
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, max);
}

// src/server/auth/sign-in.email.ts
function render(payload, config2) {
  const site = config2.siteName;
  const code = String(payload.code);
  const link = String(payload.link);
  const minutes = Number(payload.expiresInMinutes) || 10;
  const purpose2 = payload.communityName ? `to join ${payload.communityName} on ${site}` : `to sign in to ${site}`;
  const subject = headerSafe(`${code} is your ${site} sign-in code`);
  const text = [
    `Your code ${purpose2}:`,
    "",
    `    ${code}`,
    "",
    `Or open this link in the same browser: ${link}`,
    "",
    `The code and the link work once, for ${minutes} minutes, and only in the browser where you asked for them.`,
    "If you did not ask for this, ignore this email: nobody can sign in without the code."
  ].join("\n");
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1a1b1e; line-height: 1.5">
<p>Your code ${escapeHtml(purpose2)}:</p>
<p style="font-size: 28px; font-weight: 700; letter-spacing: 6px; font-family: ui-monospace, monospace">${escapeHtml(code)}</p>
<p><a href="${escapeHtml(link)}" style="display: inline-block; padding: 10px 18px; background: #228be6; color: #fff; border-radius: 6px; text-decoration: none">Sign in</a></p>
<p style="color: #555">The code and the link work once, for ${minutes} minutes, and only in the browser where you asked for them.
If you did not ask for this, ignore this email: nobody can sign in without the code.</p>
</body></html>`;
  return { subject, html, text };
}
var signInCodeTemplate = { name: "sign_in_code", sensitive: true, render };

// src/server/email/test-email.template.ts
var testEmail = {
  name: "test_email",
  render(payload, config2) {
    const text = [
      `This is a test email from ${config2.siteName} (${config2.publicUrl}).`,
      payload.requestedBy ? `It was sent at the request of ${payload.requestedBy}.` : "",
      "If you can read this, email delivery works."
    ].filter(Boolean).join("\n\n");
    return {
      subject: headerSafe(`Test email from ${config2.siteName}`),
      text,
      html: `<p>${text.split("\n\n").map(textToHtml).join("</p>\n<p>")}</p>`
    };
  }
};

// src/server/invitations/invitation-email.ts
import crypto5 from "node:crypto";

// src/server/email/unsubscribe.ts
var purpose = "unsubscribe";
function signature(config2, address) {
  return hmac(config2.secret, purpose, address).slice(0, 32);
}
function unsubscribeToken(config2, email) {
  const address = email.trim().toLowerCase();
  return `${Buffer.from(address, "utf8").toString("base64url")}.${signature(config2, address)}`;
}
function unsubscribeUrl(config2, email) {
  return `${config2.publicUrl}/unsubscribe/${unsubscribeToken(config2, email)}`;
}
function emailOfUnsubscribeToken(config2, token) {
  const dot = token.lastIndexOf(".");
  if (dot <= 0 || token.length > 600) return void 0;
  const address = Buffer.from(token.slice(0, dot), "base64url").toString("utf8");
  if (!address.includes("@")) return void 0;
  return safeEqual(token.slice(dot + 1), signature(config2, address)) ? address : void 0;
}
function unsubscribeHeaders(config2, email) {
  return {
    "List-Unsubscribe": `<${unsubscribeUrl(config2, email)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"
  };
}

// src/server/invitations/invitation-email.ts
function joinPathFor(community, invitee) {
  if (invitee.status === "active") return `/communities/${community.id}`;
  const email = encodeURIComponent(invitee.email ?? "");
  return community.landing_enabled === 1 ? `/join/${encodeURIComponent(community.slug)}#email=${email}` : `/sign-in#email=${email}`;
}
function inviterNameOf(p) {
  return `${p.first_name} ${p.last_name}`.trim() || p.email || "A leader";
}
function invitationEmail(input) {
  const { community, invitee } = input;
  const to = invitee.email;
  const payload = {
    to,
    inviterName: inviterNameOf(input.inviter),
    communityName: community.name,
    communityHeadline: community.headline,
    message: input.message,
    joinPath: joinPathFor(community, invitee),
    newToSite: invitee.status !== "active"
  };
  return {
    // Direct invites are made idempotent by the membership's state and the Idempotency-Key; the
    // random part keeps two invitations of one person in the same millisecond apart.
    dedupeKey: `community_invitation:${community.id}:${invitee.id}:${input.kind ?? "invite"}:${input.now}:${crypto5.randomBytes(6).toString("hex")}`,
    to,
    template: "community_invitation",
    payload: { ...payload },
    category: "marketing"
  };
}
function queueInvitationEmail(ctx, trx, input) {
  return queueEmail(ctx, trx, invitationEmail(input));
}
async function queueInvitationEmails(ctx, trx, emails) {
  const now = ctx.clock.now();
  const domain = new URL(ctx.config.publicUrl).hostname;
  const ids = /* @__PURE__ */ new Map();
  for (let i = 0; i < emails.length; i += 100) {
    const rows = emails.slice(i, i + 100).map((e) => ({
      dedupe_key: e.dedupeKey,
      to_address: e.to,
      template: e.template,
      payload: JSON.stringify(e.payload),
      category: e.category,
      state: "queued",
      attempts: 0,
      next_attempt_at: now,
      expires_at: e.expiresAt ?? null,
      message_id: `<${crypto5.randomUUID()}@${domain}>`,
      last_error: null,
      sent_at: null,
      created_at: now,
      updated_at: now
    }));
    const inserted = await trx.insertInto("email_outbox").values(rows).onConflict((oc) => oc.column("dedupe_key").doNothing()).returning(["id", "dedupe_key"]).execute();
    for (const r of inserted) ids.set(r.dedupe_key, r.id);
  }
  return ids;
}
async function unqueueInvitationEmails(trx, ids) {
  if (ids.length) await trx.deleteFrom("email_outbox").where("id", "in", [...ids]).where("state", "=", "queued").execute();
}
var button = "display: inline-block; padding: 10px 18px; background: #228be6; color: #fff; border-radius: 6px; text-decoration: none; font-weight: 600";
function render2(p, config2) {
  const site = config2.siteName;
  const inviter = String(p.inviterName);
  const community = String(p.communityName);
  const headline = String(p.communityHeadline ?? "");
  const message = p.message ? String(p.message) : null;
  const joinUrl = `${config2.publicUrl}${String(p.joinPath)}`;
  const unsubscribe2 = unsubscribeUrl(config2, String(p.to));
  const intro = p.newToSite ? `${inviter} invited you to join ${community} on ${site}.` : `${inviter} invited you to join ${community}.`;
  const text = [
    intro,
    headline ? `${community}: ${headline}` : "",
    message ? `Message from ${inviter}:

${message}` : "",
    `Join ${community}: ${joinUrl}`,
    p.newToSite ? `You will be asked to confirm your email address with a code; no password is needed.` : "",
    `\u2014
${site}
You received this because a leader of ${community} invited you. Unsubscribe from invitations: ${unsubscribe2}`
  ].filter(Boolean).join("\n\n");
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1a1b1e; line-height: 1.5; max-width: 560px">
<p>${escapeHtml(intro)}</p>
<h2 style="margin: 16px 0 4px">${escapeHtml(community)}</h2>
${headline ? `<p style="margin: 0 0 16px; color: #555">${escapeHtml(headline)}</p>` : ""}
${message ? `<p style="margin: 0 0 4px">Message from ${escapeHtml(inviter)}:</p>
<blockquote style="margin: 0 0 16px; padding: 8px 12px; border-left: 3px solid #ced4da; white-space: normal">${textToHtml(message)}</blockquote>` : ""}
<p><a href="${escapeHtml(joinUrl)}" style="${button}">Join ${escapeHtml(community)}</a></p>
${p.newToSite ? '<p style="color: #555">You will be asked to confirm your email address with a code; no password is needed.</p>' : ""}
<hr style="border: none; border-top: 1px solid #dee2e6; margin: 24px 0 8px">
<p style="color: #868e96; font-size: 13px">${escapeHtml(site)} \xB7 You received this because a leader of ${escapeHtml(community)} invited you.
<a href="${escapeHtml(unsubscribe2)}" style="color: #868e96">Unsubscribe from invitations</a></p>
</body></html>`;
  return {
    subject: headerSafe(`${inviter} invited you to join ${community} on ${site}`),
    html,
    text,
    headers: unsubscribeHeaders(config2, String(p.to))
  };
}
var communityInvitationTemplate = { name: "community_invitation", render: render2 };

// src/server/email/templates.ts
var emailTemplates = {
  test_email: testEmail,
  sign_in_code: signInCodeTemplate,
  community_invitation: communityInvitationTemplate
};
var UnknownTemplateError = class extends Error {
};
function getEmailTemplate(name2, templates = emailTemplates) {
  const template = Object.hasOwn(templates, name2) ? templates[name2] : void 0;
  if (!template) throw new UnknownTemplateError(`no email template is registered as "${name2}"`);
  return template;
}
function renderEmail(name2, payload, config2, templates = emailTemplates) {
  return getEmailTemplate(name2, templates).render(payload, config2);
}

// src/server/email/email-log.service.ts
function requireSiteAdmin(caller) {
  if (caller.person.is_admin !== 1) throw new AppError("forbidden");
}
function tryRender(ctx, row) {
  try {
    return renderEmail(row.template, JSON.parse(row.payload), ctx.config);
  } catch {
    return void 0;
  }
}
function isHidden(row) {
  let sensitive = true;
  try {
    sensitive = getEmailTemplate(row.template).sensitive === true;
  } catch {
  }
  return sensitive && row.state !== "kept";
}
function toItem(row, rendered) {
  const subject = rendered?.subject ?? `(template "${row.template}" cannot be shown)`;
  return {
    id: row.id,
    to: row.to_address,
    template: row.template,
    // Sign-in codes sit in the subject: an admin reading the log must not be able to read them.
    subject: isHidden(row) ? subject.replace(/\d/g, "\u2022") : subject,
    category: row.category,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.state === "queued" ? row.next_attempt_at : null
  };
}
async function listEmailLog(ctx, caller, query) {
  requireSiteAdmin(caller);
  const limit = query.limit ?? 50;
  const rows = await listOutboxRows(ctx.db, { state: query.state, beforeId: query.cursor ? Math.min(Number(query.cursor), MAX_ROW_ID) : void 0, limit: limit + 1 });
  const page2 = rows.slice(0, limit);
  return {
    items: page2.map((row) => toItem(row, tryRender(ctx, row))),
    nextCursor: rows.length > limit ? String(page2[page2.length - 1].id) : null
  };
}
async function getEmailLogEntry(ctx, caller, id3) {
  requireSiteAdmin(caller);
  const row = await findOutboxRow(ctx.db, id3);
  if (!row) throw notFound("Email");
  const rendered = tryRender(ctx, row);
  const hidden = isHidden(row);
  return {
    ...toItem(row, rendered),
    messageId: row.message_id,
    text: hidden ? null : rendered?.text ?? null,
    html: hidden ? null : rendered?.html ?? null,
    headers: { ...rendered?.headers ?? {} },
    contentHidden: hidden,
    expiresAt: row.expires_at
  };
}
async function sendTestEmail(ctx, caller, to) {
  requireSiteAdmin(caller);
  const now = ctx.clock.now();
  const id3 = await queueEmail(ctx, ctx.db, {
    dedupeKey: `test_email:${caller.person.id}:${now}:${to.toLowerCase()}`,
    to: to.toLowerCase(),
    template: "test_email",
    payload: { requestedBy: caller.person.email ?? `person ${caller.person.id}` },
    category: "transactional"
  });
  if (id3 === void 0) throw new AppError("conflict", "A test email to that address was just queued.");
  return { id: id3 };
}

// src/server/email/suppression.repository.ts
async function suppressUnsubscribedAddress(db, email, detail, now) {
  await db.insertInto("suppression").values({ email: email.toLowerCase(), reason: "unsubscribed", scope: "marketing", detail, created_at: now }).onConflict((oc) => oc.column("email").doNothing()).execute();
}
async function findSuppression(db, email) {
  return db.selectFrom("suppression").select(["reason", "scope"]).where("email", "=", email.toLowerCase()).executeTakeFirst();
}

// src/server/email/unsubscribe.service.ts
function addressOf(ctx, token) {
  const email = emailOfUnsubscribeToken(ctx.config, token);
  if (!email) throw new AppError("unsubscribe_link_invalid");
  return email;
}
async function getUnsubscribeStatus(ctx, token) {
  const email = addressOf(ctx, token);
  return { email: maskEmail(email), unsubscribed: await findSuppression(ctx.db, email) !== void 0 };
}
async function unsubscribe(ctx, token, via) {
  const email = addressOf(ctx, token);
  await suppressUnsubscribedAddress(ctx.db, email, via, ctx.clock.now());
  return { email: maskEmail(email), unsubscribed: true };
}

// src/server/email/email.routes.ts
var idParams = z3.object({ id: z3.coerce.number().int().positive().max(2 ** 31) });
var tokenParams = z3.object({ token: z3.string().min(3).max(600) });
var emailLogRoutes = async (app2) => {
  const { ctx } = app2;
  const tags5 = ["email"];
  app2.get("/api/admin/emails", {
    schema: { tags: tags5, querystring: emailLogQuerySchema, response: { 200: emailLogPageSchema }, summary: "The email log, newest first (admins)" }
  }, async (request) => listEmailLog(ctx, requireAdmin(request), request.query));
  app2.get("/api/admin/emails/:id", {
    schema: { tags: tags5, params: idParams, response: { 200: emailDetailSchema }, summary: "One email, rendered (admins)" }
  }, async (request) => getEmailLogEntry(ctx, requireAdmin(request), request.params.id));
  app2.post("/api/admin/emails/test", {
    schema: { tags: tags5, body: testEmailRequestSchema, summary: "Queue a test email to check delivery (admins)" }
  }, async (request, reply) => reply.code(202).send(await sendTestEmail(ctx, requireAdmin(request), request.body.to)));
};
var unsubscribeRoutes = async (app2) => {
  const { ctx } = app2;
  const tags5 = ["email"];
  app2.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body))))
  );
  if (!app2.hasContentTypeParser("multipart/form-data")) {
    app2.addContentTypeParser("multipart/form-data", { parseAs: "string", bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
  }
  const post = { config: { csrf: false }, schema: { tags: tags5, params: tokenParams, body: z3.unknown().optional(), response: { 200: unsubscribeStatusSchema } } };
  app2.get("/api/unsubscribe/:token", {
    schema: { tags: tags5, params: tokenParams, response: { 200: unsubscribeStatusSchema }, summary: "Whose link this is, and whether they are unsubscribed" }
  }, async (request) => getUnsubscribeStatus(ctx, request.params.token));
  app2.post(
    "/api/unsubscribe/:token",
    { ...post, schema: { ...post.schema, summary: "Unsubscribe from invitation emails" } },
    async (request) => unsubscribe(ctx, request.params.token, "page")
  );
  app2.post(
    "/unsubscribe/:token",
    { ...post, schema: { ...post.schema, hide: true } },
    async (request) => unsubscribe(ctx, request.params.token, "one_click")
  );
};
var emailRoutes = async (app2) => {
  await app2.register(emailLogRoutes);
  await app2.register(unsubscribeRoutes);
};

// src/server/auth/auth.routes.ts
import { z as z6 } from "zod";

// src/shared/auth.ts
import { z as z4 } from "zod";
var signInCodeBody = z4.object({ email: z4.string().max(1e3) });
var verifyCodeBody = z4.object({ email: z4.string().max(1e3), code: z4.string().max(100) });
var signInLinkBody = z4.object({ token: z4.string().min(1).max(200) });
var signInCodeAnswer = z4.object({
  ok: z4.literal(true),
  /** how long the code lives */
  expiresInSeconds: z4.number().int(),
  /** how long before another code can be sent to the same address */
  resendAfterSeconds: z4.number().int()
});
var meSchema = z4.object({
  id: z4.number().int(),
  email: z4.string().nullable(),
  firstName: z4.string(),
  lastName: z4.string(),
  status: z4.enum(personStatuses),
  isAdmin: z4.boolean(),
  memberType: z4.string().nullable()
});

// src/server/auth/me.ts
async function loadMe(db, person) {
  const memberType = person.member_type_id === null ? void 0 : await db.selectFrom("member_type").select("name").where("id", "=", person.member_type_id).executeTakeFirst();
  return {
    id: person.id,
    email: person.email,
    firstName: person.first_name,
    lastName: person.last_name,
    status: person.status,
    isAdmin: person.is_admin === 1,
    memberType: memberType?.name ?? null
  };
}

// src/server/auth/email-address.ts
import { z as z5 } from "zod";
var emailSchema = z5.email();
function normalizeEmail(input) {
  const email = input.trim().toLowerCase();
  if (email.length === 0 || email.length > limits.emailChars) return void 0;
  return emailSchema.safeParse(email).success ? email : void 0;
}

// src/server/auth/sign-in.repository.ts
import { sql } from "kysely";
async function insertSignInCode(db, row) {
  const inserted = await db.insertInto("sign_in_code").values(row).returning("id").executeTakeFirstOrThrow();
  return inserted.id;
}
async function lockNewestSignInCode(db, email) {
  return db.selectFrom("sign_in_code").selectAll().where("email", "=", email).where("purpose", "!=", "admin_bootstrap").orderBy("created_at", "desc").orderBy("id", "desc").limit(1).$if(isPostgres(db), (q) => q.forUpdate()).executeTakeFirst();
}
async function lockSignInCodeByLinkHash(db, linkTokenHash) {
  return db.selectFrom("sign_in_code").selectAll().where("link_token_hash", "=", linkTokenHash).$if(isPostgres(db), (q) => q.forUpdate()).executeTakeFirst();
}
async function hasNewerSignInCode(db, row) {
  const bootstrap = row.purpose === "admin_bootstrap";
  const newer = await db.selectFrom("sign_in_code").select("id").where("email", "=", row.email).where("purpose", bootstrap ? "=" : "!=", "admin_bootstrap").where((eb) => eb.or([eb("created_at", ">", row.created_at), eb.and([eb("created_at", "=", row.created_at), eb("id", ">", row.id)])])).limit(1).executeTakeFirst();
  return newer !== void 0;
}
async function markSignInCodeUsed(db, id3, at) {
  const result = await db.updateTable("sign_in_code").set({ used_at: at }).where("id", "=", id3).where("used_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
async function addFailedAttempt(db, id3) {
  const row = await db.updateTable("sign_in_code").set((eb) => ({ failed_attempts: eb("failed_attempts", "+", 1) })).where("id", "=", id3).returning("failed_attempts").executeTakeFirstOrThrow();
  return row.failed_attempts;
}
async function countFailedAttemptsSince(db, email, since) {
  const row = await db.selectFrom("sign_in_code").select((eb) => eb.fn.coalesce(eb.fn.sum("failed_attempts"), eb.lit(0)).as("total")).where("email", "=", email).where("created_at", ">", since).executeTakeFirst();
  return Number(row?.total ?? 0);
}
async function codeSendsSince(db, email, since) {
  const row = await db.selectFrom("sign_in_code").select((eb) => [eb.fn.countAll().as("count"), eb.fn.max("created_at").as("newest")]).where("email", "=", email).where("purpose", "!=", "admin_bootstrap").where("created_at", ">", since).executeTakeFirst();
  return { count: Number(row?.count ?? 0), newest: row?.newest === null || row?.newest === void 0 ? null : Number(row.newest) };
}
async function deleteSignInCodesBefore(db, email, before) {
  await db.deleteFrom("sign_in_code").where("email", "=", email).where("created_at", "<", before).execute();
}
async function lockEmailForCodeRequest(db, email) {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(hashtextextended(${`sign_in:${email}`}, 0))`.execute(db);
}
async function hitRateLimit(db, key, windowStart) {
  const row = await db.insertInto("rate_limit").values({ key, window_start: windowStart, count: 1 }).onConflict((oc) => oc.columns(["key", "window_start"]).doUpdateSet({ count: sql`rate_limit.count + 1` })).returning("count").executeTakeFirstOrThrow();
  return Number(row.count);
}
async function findPersonByEmail(db, email) {
  return db.selectFrom("person").selectAll().where("email", "=", email).executeTakeFirst();
}
async function insertPendingPerson(db, email, now) {
  return db.insertInto("person").values({
    email,
    first_name: "",
    last_name: "",
    name_key: "",
    last_name_key: "",
    status: "pending",
    is_admin: 0,
    unique_id: null,
    preverification_id: null,
    member_type_id: null,
    invite_token_hash: null,
    created_at: now,
    updated_at: now,
    activated_at: null,
    last_sign_in_at: null
  }).onConflict((oc) => oc.column("email").doNothing()).returningAll().executeTakeFirst();
}
async function activatePerson(db, id3, now) {
  return db.updateTable("person").set({ status: "active", activated_at: now, updated_at: now }).where("id", "=", id3).returningAll().executeTakeFirstOrThrow();
}
async function recordSignIn(db, id3, now) {
  await db.updateTable("person").set({ last_sign_in_at: now }).where("id", "=", id3).execute();
}
async function isSignUpOpen(db) {
  const row = await db.selectFrom("site_setting").select("value").where("key", "=", "signup_open").executeTakeFirst();
  if (!row) return true;
  try {
    return JSON.parse(row.value) !== false;
  } catch {
    return true;
  }
}

// src/server/auth/sign-in-code.service.ts
var HOUR_MS = 60 * 60 * 1e3;
var codeRequestsPerIpPerHour = 120;
var KEEP_ROWS_MS = 25 * HOUR_MS;
async function requestSignInCode(ctx, input) {
  const email = normalizeEmail(input.email);
  if (!email) throw new AppError("invalid_email");
  const now = ctx.clock.now();
  const { secret } = ctx.config;
  const sent = await ctx.db.transaction().execute(async (trx) => {
    const ipCount = await hitRateLimit(trx, `sign_in_code:ip:${hmac(secret, "ip", input.ip)}`, now - now % HOUR_MS);
    if (ipCount > codeRequestsPerIpPerHour) {
      ctx.log.warn({ event: "sign_in.ip_limited" }, "sign-in code requests from one IP over the hourly cap");
      throw new AppError("rate_limited");
    }
    await lockEmailForCodeRequest(trx, email);
    const recent = await codeSendsSince(trx, email, now - HOUR_MS);
    const tooSoon = recent.newest !== null && now - recent.newest < limits.codeSendMinIntervalMs;
    if (tooSoon || recent.count >= limits.codeSendsPerHour) return false;
    await deleteSignInCodesBefore(trx, email, now - KEEP_ROWS_MS);
    const code = randomCode();
    const linkToken = randomToken(32);
    const expiresAt = now + limits.signInCodeTtlMs;
    const id3 = await insertSignInCode(trx, {
      email,
      code_hash: hmac(secret, "sign_in_code", code),
      link_token_hash: hmac(secret, "sign_in_link", linkToken),
      attempt_hash: hmac(secret, "sign_in_attempt", input.attemptToken),
      purpose: input.purpose ?? "sign_in",
      community_id: input.communityId ?? null,
      failed_attempts: 0,
      created_at: now,
      expires_at: expiresAt,
      used_at: null
    });
    const payload = {
      code,
      link: `${ctx.config.publicUrl}${input.linkPath ?? "/auth/link/"}${linkToken}`,
      expiresInMinutes: Math.round(limits.signInCodeTtlMs / 6e4),
      communityName: input.communityName ?? null
    };
    await queueEmail(ctx, trx, {
      template: "sign_in_code",
      category: "transactional",
      expiresAt,
      dedupeKey: `sign_in_code:${id3}`,
      to: email,
      payload: { ...payload }
    });
    return true;
  });
  ctx.log.info({ event: "sign_in.code_requested", email: maskEmail(email), sent, purpose: input.purpose ?? "sign_in" }, "sign-in code requested");
  return { email, sent };
}

// src/server/auth/sign-in-verify.service.ts
var DAY_MS = 24 * 60 * 60 * 1e3;
var fail = (error) => ({ ok: false, error });
var verified = (row) => ({ ok: true, email: row.email, purpose: row.purpose, communityId: row.community_id });
function sameBrowser(ctx, row, attemptToken) {
  return attemptToken !== void 0 && safeEqual(row.attempt_hash, hmac(ctx.config.secret, "sign_in_attempt", attemptToken));
}
async function verifySignInCode(ctx, trx, input) {
  const email = normalizeEmail(input.email);
  if (input.attemptToken === void 0) return fail("sign_in_other_browser");
  if (!email) return fail("code_invalid");
  const now = ctx.clock.now();
  const row = await lockNewestSignInCode(trx, email);
  if (!row) return fail("code_invalid");
  if (!sameBrowser(ctx, row, input.attemptToken)) return fail("sign_in_other_browser");
  if (await countFailedAttemptsSince(trx, email, now - DAY_MS) >= limits.signInDailyFailures) return fail("daily_attempts_exceeded");
  if (row.used_at !== null) return fail("code_invalid");
  if (row.failed_attempts >= limits.signInCodeMaxAttempts) return fail("code_attempts_exceeded");
  if (now >= row.expires_at) return fail("code_expired");
  const code = input.code.replace(/\s+/g, "");
  if (safeEqual(row.code_hash, hmac(ctx.config.secret, "sign_in_code", code))) {
    return await markSignInCodeUsed(trx, row.id, now) ? verified(row) : fail("code_invalid");
  }
  const failures = await addFailedAttempt(trx, row.id);
  if (await countFailedAttemptsSince(trx, email, now - DAY_MS) >= limits.signInDailyFailures) return fail("daily_attempts_exceeded");
  return fail(failures >= limits.signInCodeMaxAttempts ? "code_attempts_exceeded" : "code_invalid");
}
async function verifySignInLink(ctx, trx, input) {
  const now = ctx.clock.now();
  const row = await lockSignInCodeByLinkHash(trx, hmac(ctx.config.secret, "sign_in_link", input.token));
  if (!row) return fail("link_invalid");
  if (row.purpose !== "admin_bootstrap" && !sameBrowser(ctx, row, input.attemptToken)) return fail("sign_in_other_browser");
  if (row.used_at !== null || row.failed_attempts >= limits.signInCodeMaxAttempts) return fail("link_invalid");
  if (await hasNewerSignInCode(trx, row)) return fail("link_invalid");
  if (now >= row.expires_at) return fail("code_expired");
  return await markSignInCodeUsed(trx, row.id, now) ? verified(row) : fail("link_invalid");
}

// src/server/auth/sign-in.service.ts
async function startSession(ctx, trx, person, userAgent) {
  const session = await createSession(ctx, trx, person.id, userAgent);
  await recordSignIn(trx, person.id, ctx.clock.now());
  return { person, session };
}
async function signInVerifiedEmail(ctx, trx, email, userAgent) {
  const now = ctx.clock.now();
  let person = await findPersonByEmail(trx, email);
  if (!person) {
    if (!await isSignUpOpen(trx)) return { ok: false, error: "sign_up_closed" };
    person = await insertPendingPerson(trx, email, now) ?? await findPersonByEmail(trx, email);
    if (!person) throw new AppError("conflict");
  }
  switch (person.status) {
    case "pending":
      return { ok: false, error: "account_pending" };
    case "inactive":
      return { ok: false, error: "account_inactive" };
    case "pre_verified":
    case "invited":
      person = await activatePerson(trx, person.id, now);
      break;
    case "active":
      break;
  }
  return { ok: true, ...await startSession(ctx, trx, person, userAgent) };
}
async function completeSignIn(ctx, how, verify, userAgent) {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const verification = await verify(trx);
    if (!verification.ok) return verification;
    const outcome = await signInVerifiedEmail(ctx, trx, verification.email, userAgent);
    return outcome.ok ? outcome : { ...outcome, email: verification.email };
  });
  if (!result.ok) {
    ctx.log.info({ event: "sign_in.refused", how, reason: result.error, email: result.email && maskEmail(result.email) }, "sign-in refused");
    throw new AppError(result.error);
  }
  ctx.log.info({ event: "sign_in.succeeded", how, personId: result.person.id }, "signed in");
  return { person: result.person, session: result.session };
}
function signInWithCode(ctx, input, userAgent) {
  return completeSignIn(ctx, "code", (trx) => verifySignInCode(ctx, trx, input), userAgent);
}
function signInWithLink(ctx, input, userAgent) {
  return completeSignIn(ctx, "link", (trx) => verifySignInLink(ctx, trx, input), userAgent);
}

// src/server/auth/auth.routes.ts
var meAnswer = z6.object({ me: meSchema });
async function finishSignIn(ctx, request, reply, signedIn) {
  if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
  setSessionCookie(reply, ctx.config, signedIn.session.token);
  clearAttemptCookie(reply, ctx.config);
  return { me: await loadMe(ctx.db, signedIn.person) };
}
var authRoutes = async (app2) => {
  const { ctx } = app2;
  app2.post("/api/auth/code", {
    schema: {
      tags: ["auth"],
      summary: "Email a sign-in code and link (the same answer for every address)",
      body: signInCodeBody,
      response: { 200: signInCodeAnswer }
    }
  }, async (request, reply) => {
    const attemptToken = issueAttemptCookie(request, reply, ctx.config);
    await requestSignInCode(ctx, { email: request.body.email, ip: request.ip, attemptToken });
    return {
      ok: true,
      expiresInSeconds: limits.signInCodeTtlMs / 1e3,
      resendAfterSeconds: limits.codeSendMinIntervalMs / 1e3
    };
  });
  app2.post("/api/auth/verify", {
    schema: { tags: ["auth"], summary: "Sign in with the emailed code (same browser)", body: verifyCodeBody, response: { 200: meAnswer } }
  }, async (request, reply) => {
    const signedIn = await signInWithCode(ctx, {
      email: request.body.email,
      code: request.body.code,
      attemptToken: attemptTokenOf(request, ctx.config)
    }, request.headers["user-agent"]);
    return finishSignIn(ctx, request, reply, signedIn);
  });
  app2.post("/api/auth/link", {
    schema: { tags: ["auth"], summary: "Sign in with a one-time link token (the Continue page posts it)", body: signInLinkBody, response: { 200: meAnswer } }
  }, async (request, reply) => {
    const signedIn = await signInWithLink(ctx, {
      token: request.body.token,
      attemptToken: attemptTokenOf(request, ctx.config)
    }, request.headers["user-agent"]);
    return finishSignIn(ctx, request, reply, signedIn);
  });
  app2.post("/api/auth/logout", {
    schema: { tags: ["auth"], summary: "Sign out (ends the session)", response: { 200: z6.object({ ok: z6.literal(true) }) } }
  }, async (request, reply) => {
    if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
    clearSessionCookie(reply, ctx.config);
    return { ok: true };
  });
  app2.get("/api/me", {
    schema: { tags: ["auth"], summary: "The signed-in person", response: { 200: meSchema } }
  }, async (request) => loadMe(ctx.db, requireCaller(request).person));
};

// src/server/people/people.routes.ts
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { z as z8 } from "zod";

// src/shared/people.ts
import { z as z7 } from "zod";
var personTabs = ["active", "pending", "invited", "pre_verified", "inactive", "admins"];
var name = z7.string().trim().min(1, "is required").max(limits.nameChars, `may be at most ${limits.nameChars} characters`);
var optionalText = (max) => z7.string().trim().max(max).optional().transform((v) => v ? v : void 0);
var preverifyInputSchema = z7.object({
  email: z7.string().trim().toLowerCase().max(limits.emailChars).refine((v) => v === "" || z7.email().safeParse(v).success, "is not a valid email address").optional().transform((v) => v ? v : void 0),
  uniqueId: optionalText(100),
  firstName: name,
  lastName: name,
  memberType: optionalText(100)
}).refine((v) => v.email !== void 0 || v.uniqueId !== void 0, { message: "Enter an email or a Unique ID (or both).", path: ["email"] });
var memberTypeInputSchema = z7.object({ name: z7.string().trim().min(1).max(100) });

// src/server/audit/audit.repository.ts
async function recordAudit(db, entry, now) {
  await db.insertInto("audit_event").values({
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId === null ? null : String(entry.targetId),
    details: entry.details ? JSON.stringify(entry.details) : null,
    created_at: now
  }).execute();
}
async function listAuditEvents(db, options) {
  let q = db.selectFrom("audit_event").leftJoin("person", "person.id", "audit_event.actor_id").select([
    "audit_event.id",
    "audit_event.actor_id",
    "audit_event.action",
    "audit_event.target_type",
    "audit_event.target_id",
    "audit_event.details",
    "audit_event.created_at",
    "person.id as person_id",
    "person.first_name",
    "person.last_name",
    "person.email"
  ]).orderBy("audit_event.created_at", "desc").orderBy("audit_event.id", "desc").limit(options.limit);
  if (options.before) {
    const { at, id: id3 } = options.before;
    q = q.where((eb) => eb(eb.refTuple("audit_event.created_at", "audit_event.id"), "<", eb.tuple(at, id3)));
  }
  if (options.targetType) q = q.where("audit_event.target_type", "=", options.targetType);
  if (options.targetId) q = q.where("audit_event.target_id", "=", options.targetId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    actorId: r.actor_id,
    actorName: r.person_id === null ? null : `${r.first_name ?? ""} ${r.last_name ?? ""}`.trim() || r.email || "Someone",
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: r.details ? JSON.parse(r.details) : null,
    createdAt: r.created_at
  }));
}

// src/server/people/csv-escape.ts
var dangerous = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;
function escapeCsvCell(value) {
  if (value === null || value === void 0) return "";
  const s = String(value);
  return typeof value === "string" && dangerous.test(s) ? `'${s}` : s;
}

// src/server/people/member-type.repository.ts
function memberTypeKey(name2) {
  return name2.toLowerCase().replace(/\s+/g, "");
}
async function findMemberTypeByName(db, name2) {
  const key = memberTypeKey(name2);
  if (!key) return void 0;
  return db.selectFrom("member_type").selectAll().where("name_key", "=", key).executeTakeFirst();
}
async function listMemberTypes(db) {
  return db.selectFrom("member_type").selectAll().orderBy("name").execute();
}
async function ensureMemberType(db, name2, now) {
  const clean = name2.trim().replace(/\s+/g, " ");
  await db.insertInto("member_type").values({ name: clean, name_key: memberTypeKey(clean), created_at: now }).onConflict((oc) => oc.column("name_key").doNothing()).execute();
  const row = await findMemberTypeByName(db, clean);
  if (!row) throw new Error("member type vanished");
  return row;
}

// src/server/people/member-type.service.ts
async function createMemberType(ctx, actor, name2) {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findMemberTypeByName(trx, name2);
    if (existing) throw new AppError("conflict", `The member type "${existing.name}" already exists.`);
    const now = ctx.clock.now();
    const row = await ensureMemberType(trx, name2, now);
    await recordAudit(trx, { actorId: actor?.id ?? null, action: "member_type.create", targetType: "member_type", targetId: row.id, details: { name: row.name } }, now);
    return row;
  });
}

// src/server/people/person.mapper.ts
function toPersonListItem(row, memberTypes) {
  return {
    id: row.id,
    uniqueId: row.unique_id,
    preverificationId: row.preverification_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    memberType: row.member_type_id === null ? null : memberTypes.get(row.member_type_id) ?? null,
    status: row.status,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    lastSignInAt: row.last_sign_in_at
  };
}

// src/server/people/person.repository.ts
import { sql as sql2 } from "kysely";
function nameKeys(firstName, lastName) {
  return { name_key: `${firstName} ${lastName}`.trim().toLowerCase(), last_name_key: lastName.trim().toLowerCase() };
}
function normalizeUniqueId(value) {
  const v = value?.trim();
  return v ? v : null;
}
function normalizeEmail2(value) {
  const v = value?.trim().toLowerCase();
  return v ? v : null;
}
async function findPersonById(db, id3) {
  return db.selectFrom("person").selectAll().where("id", "=", id3).executeTakeFirst();
}
async function lockPerson(db, id3) {
  const q = db.selectFrom("person").selectAll().where("id", "=", id3);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}
async function findPersonByEmail2(db, email) {
  const e = normalizeEmail2(email);
  return e ? db.selectFrom("person").selectAll().where("email", "=", e).executeTakeFirst() : void 0;
}
async function findPersonByUniqueId(db, uniqueId) {
  const u = normalizeUniqueId(uniqueId);
  return u ? db.selectFrom("person").selectAll().where("unique_id", "=", u).executeTakeFirst() : void 0;
}
async function findPersonByInviteTokenHash(db, hash) {
  return db.selectFrom("person").selectAll().where("invite_token_hash", "=", hash).executeTakeFirst();
}
async function insertPerson(db, values) {
  return db.insertInto("person").values({ ...values, ...nameKeys(values.first_name ?? "", values.last_name ?? "") }).returningAll().executeTakeFirstOrThrow();
}
async function updatePerson(db, id3, set) {
  let keys = {};
  if (set.first_name !== void 0 || set.last_name !== void 0) {
    const current = set.first_name === void 0 || set.last_name === void 0 ? await findPersonById(db, id3) : void 0;
    keys = nameKeys(set.first_name ?? current?.first_name ?? "", set.last_name ?? current?.last_name ?? "");
  }
  await db.updateTable("person").set({ ...set, ...keys }).where("id", "=", id3).execute();
}
async function lockActiveAdminIds(db) {
  const q = db.selectFrom("person").select("id").where("is_admin", "=", 1).where("status", "=", "active").orderBy("id");
  const rows = await (isPostgres(db) ? q.forUpdate() : q).execute();
  return rows.map((r) => r.id);
}
async function readPersonCounts(db) {
  const rows = await db.selectFrom("person_count").select(["key", sql2`sum(n)`.as("n")]).groupBy("key").execute();
  const counts = { active: 0, pending: 0, invited: 0, pre_verified: 0, inactive: 0, admins: 0 };
  for (const r of rows) if (r.key in counts) counts[r.key] = Number(r.n);
  return counts;
}
async function reservePreverificationIds(db, n) {
  const floor = sql2`(select coalesce(max(preverification_id), 0) + 1 from person)`;
  const start = isPostgres(db) ? sql2`greatest(next_value, ${floor})` : sql2`max(next_value, ${floor})`;
  const row = await db.updateTable("id_sequence").set({ next_value: sql2`${start} + ${n}` }).where("name", "=", "preverification_id").returning("next_value").executeTakeFirstOrThrow();
  return Number(row.next_value) - n;
}

// src/server/people/person-search.repository.ts
import { sql as sql3 } from "kysely";
function encodePersonCursor(c) {
  return Buffer.from(JSON.stringify([c.nameKey, c.id])).toString("base64url");
}
function decodePersonCursor(s) {
  if (!s) return void 0;
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && fitsRowId(v[1])) return { nameKey: v[0], id: v[1] };
  } catch {
  }
  return void 0;
}
var MAX_CHAR = "\u{10FFFF}";
function col(db, column) {
  return isPostgres(db) ? sql3`${sql3.ref(column)} collate "C"` : sql3`${sql3.ref(column)}`;
}
function startsWith(db, column, prefix) {
  return (eb) => eb.and([eb(col(db, column), ">=", prefix), eb(col(db, column), "<", prefix + MAX_CHAR)]);
}
function afterCursor(db, after) {
  return (eb) => eb(eb.tuple(col(db, "name_key"), eb.ref("id")), ">", eb.tuple(after.nameKey, after.id));
}
function tabFilter(q, tab) {
  return tab === "admins" ? q.where("is_admin", "=", 1) : q.where("status", "=", tab);
}
function selectColumns(db) {
  return db.selectFrom("person").select([
    "id",
    "unique_id",
    "preverification_id",
    "email",
    "first_name",
    "last_name",
    "name_key",
    "last_name_key",
    "member_type_id",
    "status",
    "is_admin",
    "created_at",
    "updated_at",
    "activated_at",
    "last_sign_in_at",
    sql3`invite_token_hash is not null`.as("has_invite_token")
  ]);
}
function baseQuery(db, options) {
  let q = tabFilter(selectColumns(db), options.tab);
  if (options.after) q = q.where(afterCursor(db, options.after));
  return q.orderBy(col(db, "name_key")).orderBy("id").limit(options.limit);
}
var NARROW_MATCHES = 1e3;
async function prefixBranch(db, options, column, prefix) {
  const counted = await db.selectFrom(tabFilter(db.selectFrom("person").select("id"), options.tab).where(startsWith(db, column, prefix)).limit(NARROW_MATCHES + 1).as("m")).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const dense = Number(counted.n) > NARROW_MATCHES;
  if (dense && column === "email" && !prefix.includes("@")) return { ids: [] };
  if (!dense) {
    const matches = await tabFilter(db.selectFrom("person").select(["id", "name_key"]), options.tab).where(startsWith(db, column, prefix)).execute();
    const after = options.after;
    const ids = matches.filter((m) => !after || m.name_key > after.nameKey || m.name_key === after.nameKey && m.id > after.id).sort((a, b) => a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id).slice(0, options.limit + 1).map((m) => m.id);
    return { ids };
  }
  if (column === "last_name_key" && options.tab !== "admins") {
    const ids = await pageByDistinctLastNames(db, options, prefix);
    if (ids) return { ids };
  }
  const hidden = isPostgres(db) ? col(db, column) : sql3`+${sql3.ref(column)}`;
  return (eb) => eb.and([eb(hidden, ">=", prefix), eb(hidden, "<", prefix + MAX_CHAR)]);
}
var MAX_DISTINCT_LAST_NAMES = 20;
var byNameThenId = (a, b) => a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id;
async function pageByDistinctLastNames(db, options, prefix) {
  const values = [];
  while (values.length <= MAX_DISTINCT_LAST_NAMES) {
    const previous = values[values.length - 1];
    const next = await tabFilter(db.selectFrom("person").select("last_name_key"), options.tab).where(col(db, "last_name_key"), previous === void 0 ? ">=" : ">", previous ?? prefix).where(col(db, "last_name_key"), "<", prefix + MAX_CHAR).orderBy(col(db, "last_name_key")).limit(1).executeTakeFirst();
    if (!next) break;
    values.push(next.last_name_key);
  }
  if (values.length > MAX_DISTINCT_LAST_NAMES) return void 0;
  const parts = await Promise.all(values.map((value) => {
    let q = tabFilter(db.selectFrom("person").select(["id", "name_key"]), options.tab).where(col(db, "last_name_key"), "=", value);
    if (options.after) q = q.where(afterCursor(db, options.after));
    return q.orderBy(col(db, "name_key")).orderBy("id").limit(options.limit + 1).execute();
  }));
  return parts.flat().sort(byNameThenId).slice(0, options.limit + 1).map((r) => r.id);
}
async function searchBranches(db, options, raw) {
  const q = raw.trim();
  const lower = q.toLowerCase();
  const branches = [(eb) => eb("unique_id", "=", q)];
  if (/^\d{1,15}$/.test(q)) {
    const n = Number(q);
    if (fitsRowId(n)) branches.push((eb) => eb("id", "=", n), (eb) => eb("preverification_id", "=", n));
    return branches;
  }
  branches.push(await prefixBranch(db, options, "email", lower));
  if (!q.includes("@")) branches.push(startsWith(db, "name_key", lower), await prefixBranch(db, options, "last_name_key", lower));
  return branches;
}
async function listPeople(db, options) {
  const fetch = { ...options, limit: options.limit + 1 };
  const q = options.q?.trim();
  let rows;
  if (!q) {
    rows = await baseQuery(db, fetch).execute();
  } else {
    const branches = await searchBranches(db, options, q);
    const parts = await Promise.all(branches.map((branch) => typeof branch === "function" ? baseQuery(db, fetch).where(branch).execute() : branch.ids.length ? selectColumns(db).where("id", "in", [...branch.ids]).execute() : []));
    const byId = /* @__PURE__ */ new Map();
    for (const part of parts) for (const r of part) byId.set(r.id, r);
    rows = [...byId.values()].sort((a, b) => a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id);
  }
  const normalized = rows.map((r) => ({ ...r, has_invite_token: Boolean(r.has_invite_token) }));
  return { rows: normalized.slice(0, options.limit), hasMore: normalized.length > options.limit };
}

// src/server/people/people.service.ts
async function memberTypeNames(db) {
  return new Map((await listMemberTypes(db)).map((t) => [t.id, t.name]));
}
async function listPeoplePage(ctx, input) {
  const limit = Math.min(Math.max(input.limit ?? limits.pageSize, 1), 200);
  const [{ rows, hasMore }, counts, types] = await Promise.all([
    listPeople(ctx.db, { tab: input.tab, q: input.q, after: decodePersonCursor(input.cursor), limit }),
    readPersonCounts(ctx.db),
    memberTypeNames(ctx.db)
  ]);
  const last = rows[rows.length - 1];
  return {
    items: rows.map((r) => toPersonListItem(r, types)),
    nextCursor: hasMore && last ? encodePersonCursor({ nameKey: last.name_key, id: last.id }) : null,
    counts
  };
}
async function* iteratePeople(ctx, tab, q) {
  let after;
  for (; ; ) {
    const { rows, hasMore } = await listPeople(ctx.db, { tab, q, after, limit: 1e3 });
    if (rows.length) yield rows;
    const last = rows[rows.length - 1];
    if (!hasMore || !last) return;
    after = { nameKey: last.name_key, id: last.id };
  }
}
async function getPersonDetail(ctx, personId) {
  const person = await findPersonById(ctx.db, personId);
  if (!person) throw new AppError("not_found", "Person not found.");
  const memberships = await ctx.db.selectFrom("membership").innerJoin("community", "community.id", "membership.community_id").leftJoin("person as inviter", "inviter.id", "membership.invited_by").select([
    "membership.community_id",
    "community.name",
    "community.privacy",
    "membership.state",
    "membership.role",
    "membership.source",
    "membership.invited_at",
    "membership.joined_at",
    "inviter.first_name as inviter_first",
    "inviter.last_name as inviter_last",
    "inviter.email as inviter_email",
    "inviter.id as inviter_id"
  ]).where("membership.person_id", "=", personId).orderBy("community.name").limit(1e3).execute();
  return {
    ...toPersonListItem(person, await memberTypeNames(ctx.db)),
    hasInviteUrl: person.invite_token_hash !== null && person.status === "pre_verified",
    memberships: memberships.map((m) => ({
      communityId: m.community_id,
      communityName: m.name,
      privacy: m.privacy,
      state: m.state,
      role: m.role,
      source: m.source,
      invitedAt: m.invited_at,
      joinedAt: m.joined_at,
      invitedBy: m.inviter_id === null ? null : `${m.inviter_first ?? ""} ${m.inviter_last ?? ""}`.trim() || m.inviter_email || "Someone"
    }))
  };
}

// src/server/people/person-merge.ts
import { sql as sql4 } from "kysely";
var stateRank = { joined: 6, invited: 5, requested: 4, dismissed: 3, left: 2, removed: 1 };
function stronger(a, b) {
  const keep = stateRank[b.state] > stateRank[a.state] ? b : a;
  const leader = a.role === "leader" && a.state === "joined" || b.role === "leader" && b.state === "joined";
  return { ...keep, role: leader && keep.state === "joined" ? "leader" : keep.role };
}
async function lockMembershipWrites(db) {
  if (isPostgres(db)) await sql4`LOCK TABLE membership IN SHARE ROW EXCLUSIVE MODE`.execute(db);
}
async function mergePersonInto(db, from, into, now) {
  await lockMembershipWrites(db);
  const fromRows = await db.selectFrom("membership").selectAll().where("person_id", "=", from.id).execute();
  const intoRows = new Map((await db.selectFrom("membership").selectAll().where("person_id", "=", into.id).execute()).map((m) => [m.community_id, m]));
  let moved = 0;
  let merged = 0;
  for (const m of fromRows) {
    const existing = intoRows.get(m.community_id);
    if (!existing) {
      await db.updateTable("membership").set({ person_id: into.id, updated_at: now }).where("community_id", "=", m.community_id).where("person_id", "=", from.id).execute();
      moved++;
      continue;
    }
    const keep = stronger(existing, m);
    const { community_id: _c, person_id: _p, ...rest } = keep;
    await db.updateTable("membership").set({ ...rest, updated_at: now }).where("community_id", "=", existing.community_id).where("person_id", "=", into.id).execute();
    merged++;
  }
  await db.updateTable("membership").set({ invited_by: into.id }).where("invited_by", "=", from.id).execute();
  await db.updateTable("community").set({ created_by: into.id }).where("created_by", "=", from.id).execute();
  await db.updateTable("data_job_result").set({ person_id: into.id }).where("person_id", "=", from.id).execute();
  await db.deleteFrom("person").where("id", "=", from.id).execute();
  await db.updateTable("person").set({
    email: from.email ?? into.email,
    first_name: into.first_name || from.first_name,
    last_name: into.last_name || from.last_name,
    name_key: `${into.first_name || from.first_name} ${into.last_name || from.last_name}`.trim().toLowerCase(),
    last_name_key: (into.last_name || from.last_name).trim().toLowerCase(),
    member_type_id: into.member_type_id ?? from.member_type_id,
    is_admin: into.is_admin === 1 || from.is_admin === 1 ? 1 : 0,
    last_sign_in_at: from.last_sign_in_at ?? into.last_sign_in_at,
    updated_at: now
  }).where("id", "=", into.id).execute();
  return { movedMemberships: moved, mergedMemberships: merged };
}

// src/server/people/person-status.service.ts
var fail2 = (code, message) => ({ ok: false, code, message });
function unwrapOutcome(outcome) {
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
  return outcome.person;
}
async function isLastActiveAdmin(db, person) {
  if (person.is_admin !== 1 || person.status !== "active") return false;
  const admins = await lockActiveAdminIds(db);
  return admins.length <= 1 && admins.includes(person.id);
}
async function lockForAdminChange(db, personId) {
  const peek = await findPersonById(db, personId);
  if (peek?.is_admin === 1) await lockActiveAdminIds(db);
  return lockPerson(db, personId);
}
async function closeOpenMemberships(db, personId, now) {
  const res = await db.updateTable("membership").set({ state: "removed", updated_at: now }).where("person_id", "=", personId).where("state", "in", ["invited", "requested"]).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
async function deactivatePersonInTrx(ctx, db, actor, personId) {
  const person = await lockForAdminChange(db, personId);
  if (!person) return fail2("not_found", "Person not found.");
  if (person.status === "inactive") return { ok: true, person, changed: false };
  if (person.status === "pending") return fail2("invalid_status_transition", "A pending person is approved or rejected, not deactivated.");
  if (await isLastActiveAdmin(db, person)) return fail2("last_admin");
  const now = ctx.clock.now();
  await updatePerson(db, person.id, { status: "inactive", updated_at: now });
  await deletePersonSessions(db, person.id);
  await revokePersonApiTokens(db, person.id, now);
  const closed = await closeOpenMemberships(db, person.id, now);
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: "person.deactivate",
    targetType: "person",
    targetId: person.id,
    details: { from: person.status, closedInvitations: closed }
  }, now);
  return { ok: true, person: { ...person, status: "inactive", updated_at: now }, changed: true };
}
function reactivatedStatus(person) {
  if (person.activated_at !== null) return "active";
  return person.preverification_id !== null ? "pre_verified" : "invited";
}
async function reactivatePersonInTrx(ctx, db, actor, personId) {
  const person = await lockPerson(db, personId);
  if (!person) return fail2("not_found", "Person not found.");
  if (person.status !== "inactive") {
    return person.status === "pending" ? fail2("invalid_status_transition", "A pending person is approved, not reactivated.") : { ok: true, person, changed: false };
  }
  const now = ctx.clock.now();
  const status = reactivatedStatus(person);
  await updatePerson(db, person.id, { status, updated_at: now });
  await recordAudit(db, { actorId: actor?.id ?? null, action: "person.reactivate", targetType: "person", targetId: person.id, details: { to: status } }, now);
  return { ok: true, person: { ...person, status, updated_at: now }, changed: true };
}
async function approvePersonInTrx(ctx, db, actor, personId, options = {}) {
  const person = await lockPerson(db, personId);
  if (!person) return fail2("not_found", "Person not found.");
  if (person.status !== "pending") return fail2("invalid_status_transition", "Only pending people can be approved.");
  const now = ctx.clock.now();
  const uniqueId = normalizeUniqueId(options.uniqueId);
  const holder = uniqueId ? await findPersonByUniqueId(db, uniqueId) : void 0;
  if (holder && holder.id !== person.id) {
    if (holder.status !== "pre_verified") return fail2("unique_id_taken", `Unique ID ${uniqueId} belongs to another person who is ${holder.status.replace("_", "-")}.`);
    const target = await lockPerson(db, holder.id);
    if (!target) return fail2("not_found", "Person not found.");
    const result = await mergePersonInto(db, person, target, now);
    await activate(db, target.id, now);
    await turnRememberedJoinsIntoMemberships(db, target.id, now);
    await recordAudit(db, {
      actorId: actor?.id ?? null,
      action: "person.approve",
      targetType: "person",
      targetId: target.id,
      details: { mergedFrom: person.id, mergedEmail: person.email, previousEmail: target.email, uniqueId, ...result }
    }, now);
    const merged = await lockPerson(db, target.id);
    return { ok: true, person: merged ?? target, changed: true, mergedFrom: person.id };
  }
  if (uniqueId && !holder) await updatePerson(db, person.id, { unique_id: uniqueId });
  await activate(db, person.id, now);
  await turnRememberedJoinsIntoMemberships(db, person.id, now);
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: "person.approve",
    targetType: "person",
    targetId: person.id,
    details: uniqueId ? { uniqueId } : void 0
  }, now);
  const approved = await lockPerson(db, person.id);
  return { ok: true, person: approved ?? person, changed: true };
}
async function activate(db, personId, now) {
  await db.updateTable("person").set({ status: "active", activated_at: now, updated_at: now }).where("id", "=", personId).execute();
}
async function turnRememberedJoinsIntoMemberships(db, personId, now) {
  await db.updateTable("membership").set({ state: "joined", joined_at: now, updated_at: now }).where("person_id", "=", personId).where("state", "=", "requested").where("source", "=", "landing").execute();
}
async function rejectPersonInTrx(ctx, db, actor, personId) {
  const person = await lockPerson(db, personId);
  if (!person) return fail2("not_found", "Person not found.");
  if (person.status !== "pending") return fail2("invalid_status_transition", "Only pending people can be rejected.");
  const now = ctx.clock.now();
  await db.deleteFrom("person").where("id", "=", person.id).execute();
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: "person.reject",
    targetType: "person",
    targetId: person.id,
    details: { email: person.email, firstName: person.first_name, lastName: person.last_name }
  }, now);
  return { ok: true, person, changed: true };
}
async function setPersonAdminInTrx(ctx, db, actor, personId, isAdmin2) {
  const person = await lockForAdminChange(db, personId);
  if (!person) return fail2("not_found", "Person not found.");
  if (person.is_admin === 1 === isAdmin2) return { ok: true, person, changed: false };
  if (isAdmin2 && person.status !== "active") return fail2("invalid_status_transition", "Only active people can become site admins.");
  if (!isAdmin2 && await isLastActiveAdmin(db, person)) return fail2("last_admin");
  const now = ctx.clock.now();
  await updatePerson(db, person.id, { is_admin: isAdmin2 ? 1 : 0, updated_at: now });
  if (!isAdmin2) {
    await deletePersonSessions(db, person.id);
    await revokePersonApiTokens(db, person.id, now);
  }
  await recordAudit(db, { actorId: actor?.id ?? null, action: isAdmin2 ? "person.admin_grant" : "person.admin_revoke", targetType: "person", targetId: person.id }, now);
  return { ok: true, person: { ...person, is_admin: isAdmin2 ? 1 : 0, updated_at: now }, changed: true };
}
function inTransaction(core) {
  return (ctx, actor, personId, ...rest) => ctx.db.transaction().execute(async (trx) => unwrapOutcome(await core(ctx, trx, actor, personId, ...rest)));
}
var deactivatePerson = inTransaction(deactivatePersonInTrx);
var reactivatePerson = inTransaction(reactivatePersonInTrx);
var approvePerson = inTransaction(approvePersonInTrx);
var rejectPerson = inTransaction(rejectPersonInTrx);
var setPersonAdmin = inTransaction(setPersonAdminInTrx);

// src/server/people/preverify.service.ts
function inviteTokenHash(ctx, token) {
  return hmac(ctx.config.secret, "invite", token);
}
function inviteUrl(ctx, token) {
  return `${ctx.config.publicUrl}/invite/${token}`;
}
function newInviteToken(ctx) {
  const token = randomToken(24);
  return { token, hash: inviteTokenHash(ctx, token) };
}
async function preverifyPersonInTrx(ctx, db, actor, input, preverificationId) {
  const email = normalizeEmail2(input.email);
  const uniqueId = normalizeUniqueId(input.uniqueId);
  if (!email && !uniqueId) return { ok: false, code: "validation_failed", message: "Enter an email or a Unique ID (or both)." };
  if (email && await findPersonByEmail2(db, email)) return { ok: false, code: "email_taken", message: `Another person already has the email ${email}.` };
  if (uniqueId && await findPersonByUniqueId(db, uniqueId)) return { ok: false, code: "unique_id_taken", message: `Another person already has the Unique ID ${uniqueId}.` };
  let memberTypeId = null;
  if (input.memberType) {
    const type = await findMemberTypeByName(db, input.memberType);
    if (!type) return { ok: false, code: "unknown_member_type", message: `"${input.memberType}" is not a member type of this site.` };
    memberTypeId = type.id;
  }
  const now = ctx.clock.now();
  const { token, hash } = newInviteToken(ctx);
  const person = await insertPerson(db, {
    email,
    unique_id: uniqueId,
    first_name: input.firstName.trim(),
    last_name: input.lastName.trim(),
    member_type_id: memberTypeId,
    status: "pre_verified",
    is_admin: 0,
    preverification_id: preverificationId ?? await reservePreverificationIds(db, 1),
    invite_token_hash: hash,
    created_at: now,
    updated_at: now,
    activated_at: null,
    last_sign_in_at: null
  });
  await recordAudit(db, { actorId: actor?.id ?? null, action: "person.preverify", targetType: "person", targetId: person.id }, now);
  return { ok: true, person, inviteToken: token, inviteUrl: inviteUrl(ctx, token) };
}
async function preverifyPerson(ctx, actor, input) {
  const outcome = await ctx.db.transaction().execute((trx) => preverifyPersonInTrx(ctx, trx, actor, input));
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
  return { person: outcome.person, inviteUrl: outcome.inviteUrl };
}
async function regenerateInviteUrl(ctx, actor, personId) {
  return ctx.db.transaction().execute(async (trx) => {
    const person = await lockPerson(trx, personId);
    if (!person) throw new AppError("not_found", "Person not found.");
    if (person.status !== "pre_verified") throw new AppError("invalid_status_transition", "Only pre-verified people have an invite URL.");
    const { token, hash } = newInviteToken(ctx);
    const now = ctx.clock.now();
    await trx.updateTable("person").set({ invite_token_hash: hash, updated_at: now }).where("id", "=", person.id).execute();
    await recordAudit(trx, { actorId: actor?.id ?? null, action: "person.invite_url", targetType: "person", targetId: person.id }, now);
    return inviteUrl(ctx, token);
  });
}
async function findInviteWelcome(ctx, token) {
  const person = token.length >= 16 && token.length <= 64 ? await findPersonByInviteTokenHash(ctx.db, inviteTokenHash(ctx, token)) : void 0;
  if (!person || person.status !== "pre_verified" && person.status !== "active") throw new AppError("not_found", "This invite link is not valid.");
  return { firstName: person.first_name, lastName: person.last_name, email: person.email, siteName: ctx.config.siteName, status: person.status };
}

// src/server/people/people.routes.ts
var idParams2 = z8.object({ id: z8.coerce.number().int().positive().max(2 ** 31) });
var listQuery = z8.object({
  status: z8.enum(personTabs).default("active"),
  q: z8.string().max(200).optional(),
  cursor: z8.string().max(500).optional(),
  limit: z8.coerce.number().int().min(1).max(200).optional()
});
var tags = ["people"];
var csvHeader = ["Profile ID", "Unique ID", "Pre-verification ID", "Email", "First Name", "Last Name", "Member Type", "Status", "Admin", "Created"];
var peopleRoutes = async (app2) => {
  const { ctx } = app2;
  app2.get("/api/admin/people", { schema: { querystring: listQuery, tags } }, async (request) => {
    requireAdmin(request);
    const { status, ...rest } = request.query;
    return listPeoplePage(ctx, { tab: status, ...rest });
  });
  app2.get("/api/admin/people.csv", { schema: { querystring: listQuery.pick({ status: true, q: true }), tags } }, async (request, reply) => {
    requireAdmin(request);
    const { status, q } = request.query;
    const types = await memberTypeNames(ctx.db);
    async function* lines() {
      yield `\uFEFF${stringify([csvHeader])}`;
      for await (const rows of iteratePeople(ctx, status, q)) {
        yield stringify(rows.map((r) => {
          const p = toPersonListItem(r, types);
          return [
            p.id,
            p.uniqueId,
            p.preverificationId,
            p.email,
            p.firstName,
            p.lastName,
            p.memberType,
            p.status,
            p.isAdmin ? "yes" : "no",
            new Date(p.createdAt).toISOString()
          ].map(escapeCsvCell);
        }));
      }
    }
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="members-${status}.csv"`).send(Readable.from(lines()));
  });
  app2.get("/api/admin/people/:id", { schema: { params: idParams2, tags } }, async (request) => {
    requireAdmin(request);
    return getPersonDetail(ctx, request.params.id);
  });
  app2.post("/api/admin/people", { schema: { body: preverifyInputSchema, tags } }, async (request, reply) => {
    const caller = requireAdmin(request);
    const { person, inviteUrl: inviteUrl2 } = await preverifyPerson(ctx, caller.person, request.body);
    return reply.code(201).send({ person: toPersonListItem(person, await memberTypeNames(ctx.db)), inviteUrl: inviteUrl2 });
  });
  const shaped = async (person) => ({ person: toPersonListItem(person, await memberTypeNames(ctx.db)) });
  app2.post("/api/admin/people/:id/approve", {
    schema: { params: idParams2, body: z8.object({ uniqueId: z8.string().max(100).nullable().optional() }).optional(), tags }
  }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await approvePerson(ctx, caller.person, request.params.id, { uniqueId: request.body?.uniqueId }));
  });
  app2.post("/api/admin/people/:id/reject", { schema: { params: idParams2, tags } }, async (request) => {
    const caller = requireAdmin(request);
    await rejectPerson(ctx, caller.person, request.params.id);
    return { ok: true };
  });
  app2.post("/api/admin/people/:id/deactivate", { schema: { params: idParams2, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await deactivatePerson(ctx, caller.person, request.params.id));
  });
  app2.post("/api/admin/people/:id/reactivate", { schema: { params: idParams2, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await reactivatePerson(ctx, caller.person, request.params.id));
  });
  app2.post("/api/admin/people/:id/admin", { schema: { params: idParams2, body: z8.object({ isAdmin: z8.boolean() }), tags } }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await setPersonAdmin(ctx, caller.person, request.params.id, request.body.isAdmin));
  });
  app2.post("/api/admin/people/:id/invite-url", { schema: { params: idParams2, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return { inviteUrl: await regenerateInviteUrl(ctx, caller.person, request.params.id) };
  });
  app2.get("/api/invite/:token", { schema: { params: z8.object({ token: z8.string().max(100) }), tags } }, async (request) => {
    return findInviteWelcome(ctx, request.params.token);
  });
  app2.get("/api/admin/member-types", { schema: { tags } }, async (request) => {
    requireAdmin(request);
    return { items: (await listMemberTypes(ctx.db)).map((t) => ({ id: t.id, name: t.name })) };
  });
  app2.post("/api/admin/member-types", { schema: { body: memberTypeInputSchema, tags } }, async (request, reply) => {
    const caller = requireAdmin(request);
    const row = await createMemberType(ctx, caller.person, request.body.name);
    return reply.code(201).send({ id: row.id, name: row.name });
  });
  app2.get("/api/admin/audit", {
    schema: { querystring: z8.object({ before: z8.string().regex(/^\d+:\d+$/).optional(), targetType: z8.string().max(30).optional(), targetId: z8.string().max(30).optional() }), tags: ["audit"] }
  }, async (request) => {
    requireAdmin(request);
    const [at, id3] = request.query.before?.split(":").map(Number) ?? [];
    const items = await listAuditEvents(ctx.db, {
      limit: 50,
      before: at !== void 0 && id3 !== void 0 ? { at, id: id3 } : void 0,
      targetType: request.query.targetType,
      targetId: request.query.targetId
    });
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === 50 && last ? `${last.createdAt}:${last.id}` : null };
  });
};

// src/server/communities/communities.routes.ts
import { z as z11 } from "zod";

// src/shared/communities.ts
import { z as z10 } from "zod";

// src/shared/landing.ts
import { z as z9 } from "zod";
var landingLimits = {
  slugMinChars: 2,
  slugMaxChars: 60,
  headlineChars: 200,
  welcomeChars: 5e3,
  domains: 50
};
var slugSchema = z9.string().trim().toLowerCase().min(landingLimits.slugMinChars, `The address needs at least ${landingLimits.slugMinChars} characters.`).max(landingLimits.slugMaxChars, `The address may have at most ${landingLimits.slugMaxChars} characters.`).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens (e.g. class-of-2026).");
var domainSchema = z9.string().trim().toLowerCase().transform((v) => v.replace(/^@/, "")).pipe(z9.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter domains such as example.edu."));
var landingDomainsSchema = z9.array(domainSchema).max(landingLimits.domains, `At most ${landingLimits.domains} domains.`).transform((list) => [...new Set(list)]);
var landingSettingsInput = z9.object({
  landingEnabled: z9.boolean().optional(),
  landingPolicy: z9.enum(landingPolicies).optional(),
  landingDomains: landingDomainsSchema.optional(),
  slug: slugSchema.optional(),
  /** null or '' restores the community's own headline */
  landingHeadline: z9.string().trim().max(landingLimits.headlineChars).nullable().optional(),
  /** null or '' restores the community's own description */
  landingWelcome: z9.string().trim().max(landingLimits.welcomeChars).nullable().optional()
});
var landingEmailInput = z9.object({
  email: z9.string().trim().max(limits.emailChars).pipe(z9.email({ error: "That is not a valid email address." }))
});
var nameSchema = z9.string().trim().min(1).max(limits.nameChars);
var landingVerifyInput = z9.object({
  email: z9.string().trim().max(limits.emailChars).pipe(z9.email({ error: "That is not a valid email address." })),
  code: z9.string().trim().regex(/^\d{6}$/, "The code has 6 digits."),
  firstName: nameSchema.optional(),
  lastName: nameSchema.optional(),
  memberType: z9.string().trim().max(100).optional()
});
var landingLinkInput = z9.object({
  token: z9.string().min(10).max(200),
  firstName: nameSchema.optional(),
  lastName: nameSchema.optional(),
  memberType: z9.string().trim().max(100).optional()
});
var landingPageSchema = z9.object({
  siteName: z9.string(),
  /** the current slug: a visit through an old one moves to it */
  slug: z9.string(),
  community: z9.object({
    name: z9.string(),
    headline: z9.string(),
    description: z9.string(),
    /** public communities only */
    memberCount: z9.number().int().nullable()
  }),
  policy: z9.object({ kind: z9.enum(landingPolicies), domains: z9.array(z9.string()) }),
  /** the site's member types: a new person picks one (empty: the site has none) */
  memberTypes: z9.array(z9.string())
});
var landingOutcomes = ["joined", "already_member", "pending_approval", "not_joined"];
var landingResultSchema = z9.object({
  outcome: z9.enum(landingOutcomes),
  signedIn: z9.boolean(),
  communityId: z9.number().int(),
  communityName: z9.string(),
  /** the person was created by this visit */
  created: z9.boolean()
});
var landingSettingsSchema = z9.object({
  communityId: z9.number().int(),
  name: z9.string(),
  slug: z9.string(),
  url: z9.string(),
  landingEnabled: z9.boolean(),
  landingPolicy: z9.enum(landingPolicies),
  landingDomains: z9.array(z9.string()),
  landingHeadline: z9.string().nullable(),
  landingWelcome: z9.string().nullable(),
  defaults: z9.object({ headline: z9.string(), welcome: z9.string() })
});
var statCounts = { visits: z9.number(), codesSent: z9.number(), verified: z9.number(), joined: z9.number(), peopleCreated: z9.number() };
var landingStatsSchema = z9.object({
  totals: z9.object(statCounts),
  /** the last 30 UTC days with any count, oldest first */
  days: z9.array(z9.object({ day: z9.string(), ...statCounts }))
});

// src/shared/communities.ts
var communityLimits = { nameChars: 100, headlineChars: 200, descriptionChars: 5e3 };
var communityFields = {
  name: z10.string().trim().min(1, "is required").max(communityLimits.nameChars),
  headline: z10.string().trim().max(communityLimits.headlineChars),
  description: z10.string().trim().max(communityLimits.descriptionChars),
  privacy: z10.enum(privacies)
};
var createCommunityInput = z10.object({
  name: communityFields.name,
  headline: communityFields.headline.optional(),
  description: communityFields.description.optional(),
  privacy: communityFields.privacy
});
var updateCommunityInput = z10.object({
  name: communityFields.name.optional(),
  headline: communityFields.headline.optional(),
  description: communityFields.description.optional(),
  privacy: communityFields.privacy.optional()
}).extend(landingSettingsInput.shape);
var memberListStates = ["joined", "leaders", "requested", "invited"];

// src/server/communities/community.policy.ts
var isAdmin = (v) => v.is_admin === 1 && v.status === "active";
function canSee(viewer, community, membership) {
  if (isAdmin(viewer)) return true;
  if (viewer.status !== "active") return false;
  if (community.privacy !== "invite_only") return true;
  return membership?.state === "joined" || membership?.state === "invited";
}
function canSeeMembers(viewer, community, membership) {
  if (!canSee(viewer, community, membership)) return false;
  if (isAdmin(viewer) || membership?.state === "joined") return true;
  return community.privacy === "public";
}
function isLeader(membership) {
  return membership?.state === "joined" && membership.role === "leader";
}
function canManage(viewer, _community, membership) {
  return isAdmin(viewer) || viewer.status === "active" && isLeader(membership);
}
function canInvite(viewer, community, membership) {
  return canManage(viewer, community, membership);
}
function joinMode(viewer, community, membership) {
  if (viewer.status !== "active" || !canSee(viewer, community, membership)) return null;
  const state = membership?.state;
  if (state === "joined" || state === "requested") return null;
  if (state === "invited" || state === "dismissed") return "join";
  if (community.privacy === "public") return "join";
  if (community.privacy === "private") return isAdmin(viewer) ? "join" : "request";
  return isAdmin(viewer) ? "join" : null;
}

// src/server/communities/community.repository.ts
import { sql as sql5 } from "kysely";
async function findCommunityById(db, id3) {
  return db.selectFrom("community").selectAll().where("id", "=", id3).executeTakeFirst();
}
async function findCommunityByName(db, name2) {
  return db.selectFrom("community").selectAll().where(sql5`lower(name)`, "=", name2.trim().toLowerCase()).executeTakeFirst();
}
async function slugInUse(db, slug) {
  const [a, b] = await Promise.all([
    db.selectFrom("community").select("id").where("slug", "=", slug).executeTakeFirst(),
    db.selectFrom("community_slug_history").select("community_id").where("slug", "=", slug).executeTakeFirst()
  ]);
  return Boolean(a || b);
}
async function insertCommunity(db, c, now) {
  return db.insertInto("community").values({
    name: c.name,
    slug: c.slug,
    headline: c.headline,
    description: c.description,
    privacy: c.privacy,
    landing_enabled: 0,
    landing_policy: "anyone",
    landing_domains: "",
    landing_headline: null,
    landing_welcome: null,
    created_by: c.createdBy,
    created_at: now,
    updated_at: now
  }).returningAll().executeTakeFirstOrThrow();
}
async function updateCommunityFields(db, id3, set, now) {
  await db.updateTable("community").set({ ...set, updated_at: now }).where("id", "=", id3).execute();
}
async function findMembership(db, communityId, personId) {
  return db.selectFrom("membership").selectAll().where("community_id", "=", communityId).where("person_id", "=", personId).executeTakeFirst();
}
async function lockMembership(db, communityId, personId) {
  const q = db.selectFrom("membership").selectAll().where("community_id", "=", communityId).where("person_id", "=", personId);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}
async function insertMembershipIfAbsent(db, row, now) {
  const res = await db.insertInto("membership").values({
    community_id: row.communityId,
    person_id: row.personId,
    state: row.state,
    role: "member",
    source: row.source,
    invited_by: null,
    invited_at: null,
    data_job_id: null,
    message: null,
    email_status: null,
    email_outbox_id: null,
    emailed_at: null,
    joined_at: row.state === "joined" ? now : null,
    created_at: now,
    updated_at: now
  }).onConflict((oc) => oc.columns(["community_id", "person_id"]).doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}
async function moveMembership(db, communityId, personId, from, to, now, extra = {}) {
  const res = await db.updateTable("membership").set({ state: to, updated_at: now, ...extra }).where("community_id", "=", communityId).where("person_id", "=", personId).where("state", "in", [...from]).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
async function setMembershipRole(db, communityId, personId, role, now) {
  const res = await db.updateTable("membership").set({ role, updated_at: now }).where("community_id", "=", communityId).where("person_id", "=", personId).where("state", "=", "joined").executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
function countInState(state, role) {
  return (eb) => {
    let q = eb.selectFrom("membership").select(eb.fn.countAll().as("n")).whereRef("membership.community_id", "=", "community.id").where("membership.state", "=", state);
    if (role) q = q.where("membership.role", "=", role);
    return q;
  };
}

// src/server/landing/landing-settings.service.ts
import QRCode from "qrcode";

// src/server/landing/landing-stat.repository.ts
import { sql as sql6 } from "kysely";
function dayOf(at) {
  return new Date(at).toISOString().slice(0, 10);
}
async function bumpLandingStat(db, communityId, metric, at, by = 1) {
  await db.insertInto("landing_stat").values({ community_id: communityId, day: dayOf(at), metric, count: by }).onConflict((oc) => oc.columns(["community_id", "day", "metric"]).doUpdateSet({ count: sql6`landing_stat.count + ${by}` })).execute();
}
async function listLandingStats(db, communityId, fromDay) {
  return db.selectFrom("landing_stat").select(["day", "metric", "count"]).where("community_id", "=", communityId).where("day", ">=", fromDay).orderBy("day").orderBy("metric").execute();
}
async function sumLandingStats(db, communityId) {
  const rows = await db.selectFrom("landing_stat").select(["metric", (eb) => eb.fn.sum("count").as("total")]).where("community_id", "=", communityId).groupBy("metric").execute();
  return Object.fromEntries(rows.map((r) => [r.metric, Number(r.total)]));
}

// src/server/landing/landing-counters.ts
var FLUSH_AFTER_MS = 1e3;
var buffers = /* @__PURE__ */ new WeakMap();
function bufferOf(ctx) {
  let buffer = buffers.get(ctx);
  if (!buffer) {
    buffer = { counts: /* @__PURE__ */ new Map(), timer: null, flushing: null };
    buffers.set(ctx, buffer);
  }
  return buffer;
}
function countLandingEvent(ctx, communityId, metric) {
  const buffer = bufferOf(ctx);
  const key = `${communityId}|${dayOf(ctx.clock.now())}|${metric}`;
  buffer.counts.set(key, (buffer.counts.get(key) ?? 0) + 1);
  if (!buffer.timer) {
    buffer.timer = setTimeout(() => {
      void flushLandingCounts(ctx).catch((err) => ctx.log.warn({ err }, "landing counts not written"));
    }, FLUSH_AFTER_MS);
    buffer.timer.unref();
  }
}
async function flushLandingCounts(ctx) {
  const buffer = bufferOf(ctx);
  if (buffer.timer) {
    clearTimeout(buffer.timer);
    buffer.timer = null;
  }
  if (buffer.flushing) await buffer.flushing;
  if (buffer.counts.size === 0) return;
  const counts = buffer.counts;
  buffer.counts = /* @__PURE__ */ new Map();
  buffer.flushing = ctx.db.transaction().execute(async (trx) => {
    for (const [key, n] of counts) {
      const [communityId, day, metric] = key.split("|");
      await bumpLandingStat(trx, Number(communityId), metric, Date.parse(`${day}T12:00:00Z`), n);
    }
  }).finally(() => {
    buffer.flushing = null;
  });
  await buffer.flushing;
}

// src/server/landing/landing.repository.ts
async function findCommunityBySlug(db, slug) {
  return db.selectFrom("community").selectAll().where("slug", "=", slug).executeTakeFirst();
}
async function findSlugRedirect(db, slug) {
  const row = await db.selectFrom("community_slug_history").innerJoin("community", "community.id", "community_slug_history.community_id").select("community.slug").where("community_slug_history.slug", "=", slug).executeTakeFirst();
  return row?.slug;
}
async function isSlugFree(db, slug, communityId) {
  const current = await db.selectFrom("community").select("id").where("slug", "=", slug).where("id", "!=", communityId).executeTakeFirst();
  if (current) return false;
  const old = await db.selectFrom("community_slug_history").select("community_id").where("slug", "=", slug).executeTakeFirst();
  return !old || old.community_id === communityId;
}
async function recordSlugChange(db, communityId, oldSlug, newSlug, at) {
  await db.deleteFrom("community_slug_history").where("slug", "=", newSlug).where("community_id", "=", communityId).execute();
  await db.insertInto("community_slug_history").values({ slug: oldSlug, community_id: communityId, created_at: at }).onConflict((oc) => oc.column("slug").doUpdateSet({ community_id: communityId, created_at: at })).execute();
}
async function updateCommunityLanding(db, communityId, update, at) {
  return db.updateTable("community").set({ ...update, updated_at: at }).where("id", "=", communityId).returningAll().executeTakeFirstOrThrow();
}
async function countJoinedMembers(db, communityId) {
  const row = await db.selectFrom("membership").select((eb) => eb.fn.countAll().as("n")).where("community_id", "=", communityId).where("state", "=", "joined").executeTakeFirstOrThrow();
  return Number(row.n);
}
async function lockMembership2(db, communityId, personId, postgres) {
  const q = db.selectFrom("membership").selectAll().where("community_id", "=", communityId).where("person_id", "=", personId);
  return (postgres ? q.forUpdate() : q).executeTakeFirst();
}
async function insertLandingMembership(db, communityId, personId, state, at) {
  const row = await db.insertInto("membership").values({
    community_id: communityId,
    person_id: personId,
    state,
    role: "member",
    source: "landing",
    invited_by: null,
    invited_at: null,
    data_job_id: null,
    message: null,
    email_status: null,
    email_outbox_id: null,
    emailed_at: null,
    joined_at: state === "joined" ? at : null,
    created_at: at,
    updated_at: at
  }).onConflict((oc) => oc.columns(["community_id", "person_id"]).doNothing()).returning("person_id").executeTakeFirst();
  return row !== void 0;
}
async function markMembershipJoined(db, communityId, personId, fromStates, at) {
  const result = await db.updateTable("membership").set({ state: "joined", joined_at: at, updated_at: at }).where("community_id", "=", communityId).where("person_id", "=", personId).where("state", "in", fromStates).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// src/server/landing/landing-settings.service.ts
var STATS_DAYS = 30;
async function getManagedCommunity(db, caller, communityId) {
  const { community, membership } = await getVisibleCommunity(db, caller.person, communityId);
  if (!canManage(caller.person, community, membership)) throw new AppError("forbidden", "Only site admins and this community\u2019s leaders may manage its landing page.");
  return community;
}
function landingUrl(ctx, slug) {
  return `${ctx.config.publicUrl}/join/${slug}`;
}
function domainsOf(community) {
  return community.landing_domains ? community.landing_domains.split(",").filter(Boolean) : [];
}
function toLandingSettings(ctx, c) {
  return {
    communityId: c.id,
    name: c.name,
    slug: c.slug,
    url: landingUrl(ctx, c.slug),
    landingEnabled: c.landing_enabled === 1,
    landingPolicy: c.landing_policy,
    landingDomains: domainsOf(c),
    landingHeadline: c.landing_headline,
    landingWelcome: c.landing_welcome,
    defaults: { headline: c.headline, welcome: c.description }
  };
}
async function getLandingSettings(ctx, caller, communityId) {
  return toLandingSettings(ctx, await getManagedCommunity(ctx.db, caller, communityId));
}
async function applyLandingSettings(ctx, trx, community, input) {
  const update = {};
  const now = ctx.clock.now();
  if (input.landingEnabled !== void 0) update.landing_enabled = input.landingEnabled ? 1 : 0;
  if (input.landingPolicy !== void 0) update.landing_policy = input.landingPolicy;
  if (input.landingDomains !== void 0) update.landing_domains = input.landingDomains.join(",");
  if (input.landingHeadline !== void 0) update.landing_headline = input.landingHeadline || null;
  if (input.landingWelcome !== void 0) update.landing_welcome = input.landingWelcome || null;
  const policy = input.landingPolicy ?? community.landing_policy;
  const domains = input.landingDomains ?? domainsOf(community);
  if (policy === "domains" && domains.length === 0) {
    throw new AppError("validation_failed", 'Add at least one email domain for the "only these domains" policy.', [{ path: "landingDomains", message: "Add at least one domain." }]);
  }
  if (input.slug !== void 0 && input.slug !== community.slug) {
    if (!await isSlugFree(trx, input.slug, community.id)) throw new AppError("slug_taken");
    update.slug = input.slug;
    await recordSlugChange(trx, community.id, community.slug, input.slug, now);
  }
  if (Object.keys(update).length === 0) return community;
  return updateCommunityLanding(trx, community.id, update, now);
}
async function updateLandingSettings(ctx, caller, communityId, input) {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const community = await getManagedCommunity(trx, caller, communityId);
    return applyLandingSettings(ctx, trx, community, input);
  });
  return toLandingSettings(ctx, updated);
}
async function renderLandingQr(ctx, caller, communityId, format) {
  const community = await getManagedCommunity(ctx.db, caller, communityId);
  const url = landingUrl(ctx, community.slug);
  const options = { errorCorrectionLevel: "M", margin: 2 };
  const body = format === "png" ? await QRCode.toBuffer(url, { ...options, type: "png", width: 1024 }) : await QRCode.toString(url, { ...options, type: "svg" });
  return { body, slug: community.slug };
}
var metricKeys = { visits: "visits", codes_sent: "codesSent", verified: "verified", joined: "joined", people_created: "peopleCreated" };
var emptyCounts = () => ({ visits: 0, codesSent: 0, verified: 0, joined: 0, peopleCreated: 0 });
async function getLandingStats(ctx, caller, communityId) {
  await getManagedCommunity(ctx.db, caller, communityId);
  await flushLandingCounts(ctx);
  const from = dayOf(ctx.clock.now() - (STATS_DAYS - 1) * 864e5);
  const [sums, rows] = await Promise.all([sumLandingStats(ctx.db, communityId), listLandingStats(ctx.db, communityId, from)]);
  const totals = emptyCounts();
  for (const [metric, n] of Object.entries(sums)) {
    const key = metricKeys[metric];
    if (key) totals[key] = n;
  }
  const byDay = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const key = metricKeys[row.metric];
    if (!key) continue;
    const counts = byDay.get(row.day) ?? emptyCounts();
    counts[key] = Number(row.count);
    byDay.set(row.day, counts);
  }
  return { totals, days: [...byDay].map(([day, counts]) => ({ day, ...counts })) };
}

// src/server/communities/community.service.ts
async function getCommunity(db, id3) {
  const community = await findCommunityById(db, id3);
  if (!community) throw new AppError("not_found", "Community not found.");
  return community;
}
async function getVisibleCommunity(db, viewer, id3) {
  const community = await findCommunityById(db, id3);
  const membership = community ? await findMembership(db, id3, viewer.id) : void 0;
  if (!community || !canSee(viewer, community, membership)) throw new AppError("not_found", "Community not found.");
  return { community, membership };
}
function slugFromName(name2) {
  const s = name2.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/, "");
  return s.length >= 2 ? s : `community${s ? `-${s}` : ""}`;
}
async function freeSlug(db, name2) {
  const base = slugFromName(name2);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!await slugInUse(db, candidate)) return candidate;
  }
}
async function createCommunity(ctx, actor, input) {
  return ctx.db.transaction().execute(async (trx) => {
    if (await findCommunityByName(trx, input.name)) throw new AppError("name_taken");
    const now = ctx.clock.now();
    const community = await insertCommunity(trx, {
      name: input.name,
      slug: await freeSlug(trx, input.name),
      headline: input.headline ?? "",
      description: input.description ?? "",
      privacy: input.privacy,
      createdBy: actor?.id ?? null
    }, now);
    await recordAudit(trx, {
      actorId: actor?.id ?? null,
      action: "community.create",
      targetType: "community",
      targetId: community.id,
      details: { name: community.name, privacy: community.privacy }
    }, now);
    return community;
  });
}
async function updateCommunity(ctx, viewer, id3, input) {
  return ctx.db.transaction().execute(async (trx) => {
    const { community, membership } = await getVisibleCommunity(trx, viewer, id3);
    if (!canManage(viewer, community, membership)) throw new AppError("forbidden", "Only site admins and this community\u2019s leaders may edit it.");
    const { name: name2, headline, description, privacy, ...landing } = input;
    if (name2 !== void 0 && name2.toLowerCase() !== community.name.toLowerCase()) {
      const other = await findCommunityByName(trx, name2);
      if (other && other.id !== id3) throw new AppError("name_taken");
    }
    const now = ctx.clock.now();
    const fields = Object.fromEntries(Object.entries({ name: name2, headline, description, privacy }).filter(([, v]) => v !== void 0));
    if (Object.keys(fields).length) await updateCommunityFields(trx, id3, fields, now);
    const updated = await applyLandingSettings(ctx, trx, await getCommunity(trx, id3), landing);
    const own = { name: community.name, headline: community.headline, description: community.description, privacy: community.privacy, slug: community.slug };
    const changed = Object.entries(input).filter(([k, v]) => v !== void 0 && (!(k in own) || own[k] !== v)).map(([k]) => k);
    await recordAudit(trx, { actorId: viewer.id, action: "community.update", targetType: "community", targetId: id3, details: { changed } }, now);
    return updated;
  });
}
function landingUrlOf(ctx, slug) {
  return `${ctx.config.publicUrl}/join/${slug}`;
}
async function listCommunitiesForViewer(ctx, viewer, options) {
  let q = ctx.db.selectFrom("community").leftJoin("membership as mine", (j) => j.onRef("mine.community_id", "=", "community.id").on("mine.person_id", "=", viewer.id)).select(["community.id", "community.name", "community.slug", "community.headline", "community.privacy", "mine.state", "mine.role"]).select((eb) => countInState("joined")(eb).as("member_count")).orderBy("community.name").orderBy("community.id").limit(options.limit + 1);
  if (!(viewer.is_admin === 1)) {
    q = q.where((eb) => eb.or([eb("community.privacy", "!=", "invite_only"), eb("mine.state", "in", ["joined", "invited"])]));
  }
  if (options.q?.trim()) q = q.where((eb) => eb(eb.fn("lower", ["community.name"]), "like", nameLike(options.q.trim())));
  if (options.after) q = q.where((eb) => eb(eb.refTuple("community.name", "community.id"), ">", eb.tuple(options.after.name, options.after.id)));
  const rows = await q.execute();
  return {
    hasMore: rows.length > options.limit,
    items: rows.slice(0, options.limit).map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      headline: r.headline,
      privacy: r.privacy,
      memberCount: Number(r.member_count),
      myState: r.state ?? null,
      myRole: r.state ? r.role : null
    }))
  };
}
function nameLike(term) {
  return `%${term.toLowerCase()}%`;
}
async function listCommunitiesForAdmin(ctx, options) {
  let q = ctx.db.selectFrom("community").selectAll().select((eb) => [countInState("joined")(eb).as("member_count"), countInState("invited")(eb).as("invited_count")]).orderBy("community.name").orderBy("community.id").limit(options.limit + 1);
  if (options.q?.trim()) {
    const term = options.q.trim();
    q = /^\d+$/.test(term) ? q.where("community.id", "=", fitsRowId(Number(term)) ? Number(term) : -1) : q.where((eb) => eb(eb.fn("lower", ["community.name"]), "like", nameLike(term)));
  }
  if (options.after) q = q.where((eb) => eb(eb.refTuple("community.name", "community.id"), ">", eb.tuple(options.after.name, options.after.id)));
  const rows = await q.execute();
  return {
    hasMore: rows.length > options.limit,
    items: rows.slice(0, options.limit).map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      headline: r.headline,
      description: r.description,
      privacy: r.privacy,
      memberCount: Number(r.member_count),
      invitedCount: Number(r.invited_count),
      landingEnabled: r.landing_enabled === 1,
      landingUrl: landingUrlOf(ctx, r.slug),
      createdAt: r.created_at
    }))
  };
}
async function getCommunityDetail(ctx, viewer, id3) {
  const { community, membership } = await getVisibleCommunity(ctx.db, viewer, id3);
  const counts = await ctx.db.selectFrom("community").where("community.id", "=", id3).select((eb) => [countInState("joined")(eb).as("members"), countInState("joined", "leader")(eb).as("leaders")]).executeTakeFirstOrThrow();
  return {
    id: community.id,
    name: community.name,
    slug: community.slug,
    headline: community.headline,
    description: community.description,
    privacy: community.privacy,
    memberCount: Number(counts.members),
    leaderCount: Number(counts.leaders),
    myState: membership?.state ?? null,
    myRole: membership ? membership.role : null,
    can: {
      seeMembers: canSeeMembers(viewer, community, membership),
      manage: canManage(viewer, community, membership),
      invite: canInvite(viewer, community, membership),
      join: joinMode(viewer, community, membership),
      leave: membership?.state === "joined" || membership?.state === "requested"
    }
  };
}

// src/server/communities/membership.service.ts
async function joinCommunityInTrx(ctx, db, viewer, communityId) {
  const { community, membership } = await getVisibleCommunity(db, viewer, communityId);
  const current = await lockMembership(db, communityId, viewer.id) ?? membership;
  if (current?.state === "joined") return { state: "joined", changed: false };
  const mode = joinMode(viewer, community, current);
  if (current?.state === "requested" && community.privacy !== "public") return { state: "requested", changed: false };
  if (mode === null && current?.state !== "requested") throw new AppError("forbidden", "This community is invite-only: you need an invitation to join.");
  const target = mode === "request" ? "requested" : "joined";
  const now = ctx.clock.now();
  const joinedAt = target === "joined" ? now : null;
  if (!current) {
    if (await insertMembershipIfAbsent(db, { communityId, personId: viewer.id, state: target, source: "request" }, now)) {
      return { state: target, changed: true };
    }
  } else if (await moveMembership(db, communityId, viewer.id, [current.state], target, now, { joined_at: joinedAt, role: "member" })) {
    return { state: target, changed: true };
  }
  const after = await findMembership(db, communityId, viewer.id);
  return { state: after?.state === "joined" ? "joined" : "requested", changed: false };
}
async function joinCommunity(ctx, viewer, communityId) {
  return ctx.db.transaction().execute((trx) => joinCommunityInTrx(ctx, trx, viewer, communityId));
}
async function leaveCommunity(ctx, viewer, communityId) {
  await ctx.db.transaction().execute(async (trx) => {
    const { membership } = await getVisibleCommunity(trx, viewer, communityId);
    if (!membership || membership.state !== "joined" && membership.state !== "requested") {
      throw new AppError("conflict", "You are not a member of this community.");
    }
    await moveMembership(trx, communityId, viewer.id, ["joined", "requested"], "left", ctx.clock.now(), { role: "member" });
  });
}
async function requireManager(db, viewer, communityId) {
  const found = await getVisibleCommunity(db, viewer, communityId);
  if (!canManage(viewer, found.community, found.membership)) throw new AppError("forbidden", "Only site admins and this community\u2019s leaders may do that.");
  return found;
}
async function decideRequest(ctx, viewer, communityId, personId, approve) {
  return ctx.db.transaction().execute(async (trx) => {
    await requireManager(trx, viewer, communityId);
    const now = ctx.clock.now();
    const to = approve ? "joined" : "removed";
    if (approve) {
      const person = await trx.selectFrom("person").select("status").where("id", "=", personId).executeTakeFirst();
      if (person && person.status !== "active") {
        throw new AppError("conflict", "This person\u2019s account is not active yet; their request is applied when a site admin approves them.");
      }
    }
    const moved = await moveMembership(trx, communityId, personId, ["requested"], to, now, approve ? { joined_at: now } : {});
    if (!moved) {
      const m = await findMembership(trx, communityId, personId);
      if (!m) throw new AppError("not_found", "There is no request from this person.");
      if (m.state === to) return to;
      throw new AppError("conflict", "There is no open request from this person.");
    }
    await recordAudit(trx, {
      actorId: viewer.id,
      action: approve ? "membership.approve_request" : "membership.decline_request",
      targetType: "membership",
      targetId: `${communityId}:${personId}`
    }, now);
    return to;
  });
}
var approveJoinRequest = (ctx, viewer, communityId, personId) => decideRequest(ctx, viewer, communityId, personId, true);
var declineJoinRequest = (ctx, viewer, communityId, personId) => decideRequest(ctx, viewer, communityId, personId, false);
async function setLeader(ctx, viewer, communityId, personId, leader) {
  await ctx.db.transaction().execute(async (trx) => {
    await requireManager(trx, viewer, communityId);
    const m = await lockMembership(trx, communityId, personId);
    if (!m || m.state !== "joined") throw new AppError("conflict", "Only members of the community can be leaders.");
    if (m.role === "leader" === leader) return;
    const now = ctx.clock.now();
    await setMembershipRole(trx, communityId, personId, leader ? "leader" : "member", now);
    await recordAudit(trx, {
      actorId: viewer.id,
      action: leader ? "membership.promote" : "membership.demote",
      targetType: "membership",
      targetId: `${communityId}:${personId}`
    }, now);
  });
}
function encodeCursor(nameKey, id3) {
  return Buffer.from(JSON.stringify([nameKey, id3])).toString("base64url");
}
function decodeCursor(s) {
  if (!s) return void 0;
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && fitsRowId(v[1])) return { nameKey: v[0], id: v[1] };
  } catch {
  }
  return void 0;
}
async function listCommunityMembers(ctx, viewer, communityId, options) {
  const { community, membership } = await getVisibleCommunity(ctx.db, viewer, communityId);
  const manager = canManage(viewer, community, membership);
  if (options.state === "requested" ? !manager : !canSeeMembers(viewer, community, membership)) {
    throw new AppError("forbidden", options.state === "requested" ? "Only site admins and this community\u2019s leaders see join requests." : "Only members see this community\u2019s members.");
  }
  const limit = Math.min(Math.max(options.limit ?? limits.pageSize, 1), 200);
  let q = ctx.db.selectFrom("membership").innerJoin("person", "person.id", "membership.person_id").select([
    "person.id",
    "person.first_name",
    "person.last_name",
    "person.email",
    "person.name_key",
    "membership.role",
    "membership.state",
    "membership.joined_at",
    "membership.created_at",
    "membership.updated_at"
  ]).where("membership.community_id", "=", communityId).where("membership.state", "=", options.state === "requested" ? "requested" : "joined").where("person.status", "=", "active").orderBy("person.name_key").orderBy("person.id").limit(limit + 1);
  if (options.state === "leaders") q = q.where("membership.role", "=", "leader");
  const term = options.q?.trim().toLowerCase();
  if (term) q = q.where((eb) => eb.or([eb("person.name_key", "like", `%${term}%`), ...manager ? [eb("person.email", "like", `${term}%`)] : []]));
  const after = decodeCursor(options.cursor);
  if (after) q = q.where((eb) => eb(eb.refTuple("person.name_key", "person.id"), ">", eb.tuple(after.nameKey, after.id)));
  const rows = await q.execute();
  const page2 = rows.slice(0, limit);
  const last = page2[page2.length - 1];
  return {
    items: page2.map((r) => ({
      personId: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      email: manager ? r.email : null,
      role: r.role,
      state: r.state,
      joinedAt: r.joined_at,
      requestedAt: r.updated_at
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.name_key, last.id) : null
  };
}

// src/server/invitations/invitation.repository.ts
var reinvitableStates = ["dismissed", "left", "removed", "requested"];
var personColumns = ["id", "email", "first_name", "last_name", "status"];
async function findCommunityWithMembership(db, communityId, personId) {
  const row = await db.selectFrom("community as c").leftJoin("membership as m", (join) => join.onRef("m.community_id", "=", "c.id").on("m.person_id", "=", personId)).selectAll("c").select([
    "m.state as m_state",
    "m.role as m_role",
    "m.source as m_source",
    "m.invited_by as m_invited_by",
    "m.invited_at as m_invited_at",
    "m.data_job_id as m_data_job_id",
    "m.message as m_message",
    "m.email_status as m_email_status",
    "m.email_outbox_id as m_email_outbox_id",
    "m.emailed_at as m_emailed_at",
    "m.joined_at as m_joined_at",
    "m.created_at as m_created_at",
    "m.updated_at as m_updated_at"
  ]).where("c.id", "=", communityId).executeTakeFirst();
  if (!row) return void 0;
  const {
    m_state,
    m_role,
    m_source,
    m_invited_by,
    m_invited_at,
    m_data_job_id,
    m_message,
    m_email_status,
    m_email_outbox_id,
    m_emailed_at,
    m_joined_at,
    m_created_at,
    m_updated_at,
    ...community
  } = row;
  const membership = m_state === null || m_role === null || m_source === null || m_created_at === null || m_updated_at === null ? void 0 : {
    community_id: communityId,
    person_id: personId,
    state: m_state,
    role: m_role,
    source: m_source,
    invited_by: m_invited_by,
    invited_at: m_invited_at,
    data_job_id: m_data_job_id,
    message: m_message,
    email_status: m_email_status,
    email_outbox_id: m_email_outbox_id,
    emailed_at: m_emailed_at,
    joined_at: m_joined_at,
    created_at: m_created_at,
    updated_at: m_updated_at
  };
  return { community, membership };
}
async function findMembership2(db, communityId, personId) {
  return db.selectFrom("membership").selectAll().where("community_id", "=", communityId).where("person_id", "=", personId).executeTakeFirst();
}
async function findPeopleByIds(db, ids) {
  if (!ids.length) return [];
  return db.selectFrom("person").select(personColumns).where("id", "in", [...ids]).execute();
}
async function findPeopleByEmails(db, emails) {
  if (!emails.length) return [];
  return db.selectFrom("person").select(personColumns).where("email", "in", [...emails]).execute();
}
async function findSuppressedEmails(db, emails) {
  if (!emails.length) return /* @__PURE__ */ new Set();
  const rows = await db.selectFrom("suppression").select("email").where("email", "in", [...emails]).execute();
  return new Set(rows.map((r) => r.email));
}
async function findMemberships(db, communityId, personIds) {
  if (!personIds.length) return /* @__PURE__ */ new Map();
  const rows = await db.selectFrom("membership").selectAll().where("community_id", "=", communityId).where("person_id", "in", [...personIds]).execute();
  return new Map(rows.map((r) => [r.person_id, r]));
}
async function insertInvitedPeople(db, people, now) {
  if (!people.length) return [];
  const rows = [...people].sort((a, b) => a.email < b.email ? -1 : 1).map((p) => ({
    email: p.email,
    first_name: p.firstName,
    last_name: p.lastName,
    name_key: `${p.firstName} ${p.lastName}`.trim().toLowerCase(),
    last_name_key: p.lastName.toLowerCase(),
    status: "invited",
    is_admin: 0,
    unique_id: null,
    preverification_id: null,
    member_type_id: null,
    invite_token_hash: null,
    created_at: now,
    updated_at: now,
    activated_at: null,
    last_sign_in_at: null
  }));
  return db.insertInto("person").values(rows).onConflict((oc) => oc.column("email").doNothing()).returning(personColumns).execute();
}
async function upsertInvitations(db, communityId, invitedBy, message, invitations, now) {
  if (!invitations.length) return /* @__PURE__ */ new Set();
  const rows = [...invitations].sort((a, b) => a.personId - b.personId).map((i) => ({
    community_id: communityId,
    person_id: i.personId,
    state: "invited",
    role: "member",
    source: "direct",
    invited_by: invitedBy,
    invited_at: now,
    data_job_id: null,
    message,
    email_status: i.emailStatus,
    email_outbox_id: i.outboxId,
    emailed_at: null,
    joined_at: null,
    created_at: now,
    updated_at: now
  }));
  const done = await db.insertInto("membership").values(rows).onConflict((oc) => oc.columns(["community_id", "person_id"]).doUpdateSet((eb) => ({
    state: "invited",
    role: "member",
    source: "direct",
    invited_by: eb.ref("excluded.invited_by"),
    invited_at: eb.ref("excluded.invited_at"),
    data_job_id: null,
    message: eb.ref("excluded.message"),
    email_status: eb.ref("excluded.email_status"),
    email_outbox_id: eb.ref("excluded.email_outbox_id"),
    emailed_at: null,
    joined_at: null,
    updated_at: eb.ref("excluded.updated_at")
  })).where("membership.state", "in", [...reinvitableStates])).returning("person_id").execute();
  return new Set(done.map((r) => r.person_id));
}
async function setInvitationEmail(db, communityId, personId, emailStatus, outboxId, now) {
  await db.updateTable("membership").set({ email_status: emailStatus, email_outbox_id: outboxId, updated_at: now }).where("community_id", "=", communityId).where("person_id", "=", personId).execute();
}
async function closeInvitation(db, communityId, personId, state, now) {
  const result = await db.updateTable("membership").set({ state, updated_at: now }).where("community_id", "=", communityId).where("person_id", "=", personId).where("state", "=", "invited").executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
async function findOutboxCreatedAt(db, outboxId) {
  const row = await db.selectFrom("email_outbox").select("created_at").where("id", "=", outboxId).executeTakeFirst();
  return row?.created_at;
}
async function dropQueuedEmail(db, outboxId, now) {
  await db.updateTable("email_outbox").set({ state: "failed", last_error: "invitation revoked", updated_at: now }).where("id", "=", outboxId).where("state", "=", "queued").execute();
}

// src/server/invitations/community-access.ts
function canSeeCommunity(caller, community, membership) {
  if (caller.person.is_admin === 1 && caller.person.status === "active") return true;
  if (caller.person.status !== "active") return false;
  if (community.privacy !== "invite_only") return true;
  return membership?.state === "joined" || membership?.state === "invited";
}
function isLeaderOf(membership) {
  return membership?.state === "joined" && membership.role === "leader";
}
async function getVisibleCommunity2(db, caller, communityId) {
  const found = await findCommunityWithMembership(db, communityId, caller.person.id);
  if (!found || !canSeeCommunity(caller, found.community, found.membership)) throw notFound("Community");
  return found;
}
async function getManagedCommunity2(db, caller, communityId) {
  const { community, membership } = await getVisibleCommunity2(db, caller, communityId);
  if (!(caller.person.is_admin === 1 || isLeaderOf(membership))) {
    throw new AppError("forbidden", "Only site admins and this community\u2019s leaders may do that.");
  }
  return community;
}

// src/server/invitations/invited-directory.repository.ts
async function listInvitedRows(db, communityId, options) {
  let query = db.selectFrom("membership as m").innerJoin("person as p", "p.id", "m.person_id").leftJoin("person as i", "i.id", "m.invited_by").leftJoin("email_outbox as o", "o.id", "m.email_outbox_id").select([
    "m.person_id",
    "p.email",
    "p.first_name",
    "p.last_name",
    "p.status",
    "m.invited_at",
    "m.invited_by",
    "i.first_name as inviter_first_name",
    "i.last_name as inviter_last_name",
    "i.email as inviter_email",
    "m.source",
    "m.email_status",
    "m.email_outbox_id",
    "m.emailed_at",
    "o.created_at as outbox_created_at"
  ]).where("m.community_id", "=", communityId).where("m.state", "=", "invited");
  const q = options.q?.trim().toLowerCase();
  if (q) {
    const end = `${q}\uFFFF`;
    query = query.where((eb) => eb.or([
      eb.and([eb("p.name_key", ">=", q), eb("p.name_key", "<", end)]),
      eb.and([eb("p.last_name_key", ">=", q), eb("p.last_name_key", "<", end)]),
      eb.and([eb("p.email", ">=", q), eb("p.email", "<", end)])
    ]));
  }
  if (options.after) {
    const { invitedAt, personId } = options.after;
    query = query.where((eb) => eb.or([
      eb("m.invited_at", "<", invitedAt),
      eb.and([eb("m.invited_at", "=", invitedAt), eb("m.person_id", "<", personId)])
    ]));
  }
  return query.orderBy("m.invited_at", "desc").orderBy("m.person_id", "desc").limit(options.limit).execute();
}
async function countInvited(db, communityId) {
  const row = await db.selectFrom("membership").select((eb) => eb.fn.countAll().as("n")).where("community_id", "=", communityId).where("state", "=", "invited").executeTakeFirstOrThrow();
  return Number(row.n);
}

// src/server/invitations/invitation-lifecycle.service.ts
function encodeCursor2(c) {
  return Buffer.from(`${c.invitedAt}:${c.personId}`).toString("base64url");
}
function decodeCursor2(value) {
  if (!value) return void 0;
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match) throw new AppError("bad_request", "The cursor is not valid.");
  return { invitedAt: Number(match[1]), personId: Number(match[2]) };
}
function resendAllowedAt(row) {
  if (row.status === "pre_verified" || !row.email || row.email_status === "suppressed" || row.email_status === "pre_verified") return null;
  return row.outbox_created_at === null ? 0 : row.outbox_created_at + limits.resendIntervalMs;
}
function toInvitedMember(row) {
  const inviterName = `${row.inviter_first_name ?? ""} ${row.inviter_last_name ?? ""}`.trim() || row.inviter_email;
  return {
    personId: row.person_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    invitedAt: row.invited_at,
    invitedBy: row.invited_by === null ? null : { id: row.invited_by, name: inviterName || "Someone" },
    source: row.source,
    emailStatus: row.email_status,
    emailedAt: row.emailed_at,
    resendAllowedAt: resendAllowedAt(row)
  };
}
async function listInvitedMembers(ctx, caller, communityId, options) {
  await getManagedCommunity2(ctx.db, caller, communityId);
  const limit = Math.min(Math.max(options.limit ?? limits.pageSize, 1), 200);
  const rows = await listInvitedRows(ctx.db, communityId, { q: options.q, after: decodeCursor2(options.cursor), limit: limit + 1 });
  const page2 = rows.slice(0, limit);
  const last = page2[page2.length - 1];
  return {
    items: page2.map(toInvitedMember),
    nextCursor: rows.length > limit && last ? encodeCursor2({ invitedAt: last.invited_at ?? 0, personId: last.person_id }) : null,
    total: await countInvited(ctx.db, communityId)
  };
}
async function revokeInvitation(ctx, caller, communityId, personId) {
  await ctx.db.transaction().execute(async (trx) => {
    await getManagedCommunity2(trx, caller, communityId);
    const membership = await findMembership2(trx, communityId, personId);
    const now = ctx.clock.now();
    if (!membership || !await closeInvitation(trx, communityId, personId, "removed", now)) throw notFound("Open invitation");
    if (membership.email_outbox_id !== null) await dropQueuedEmail(trx, membership.email_outbox_id, now);
    await recordAudit(trx, { actorId: caller.person.id, action: "invitation.revoke", targetType: "membership", targetId: `${communityId}:${personId}` }, now);
  });
}
async function resendInvitation(ctx, caller, communityId, personId) {
  return ctx.db.transaction().execute(async (trx) => {
    const community = await getManagedCommunity2(trx, caller, communityId);
    const membership = await findMembership2(trx, communityId, personId);
    if (membership?.state !== "invited") throw notFound("Open invitation");
    const [person] = await findPeopleByIds(trx, [personId]);
    if (!person) throw notFound("Person");
    if (person.status === "pre_verified") {
      throw new AppError("conflict", "Pre-verified people are never emailed an invitation: share their invite URL or use Data Tools.");
    }
    if (!person.email) throw new AppError("conflict", "This person has no email address.");
    if ((await findSuppressedEmails(trx, [person.email])).size > 0) {
      throw new AppError("conflict", "This address is suppressed (unsubscribed or bouncing): no invitation email can be sent.");
    }
    const now = ctx.clock.now();
    const lastQueued = membership.email_outbox_id === null ? void 0 : await findOutboxCreatedAt(trx, membership.email_outbox_id);
    if (lastQueued !== void 0 && now < lastQueued + limits.resendIntervalMs) {
      const minutes = Math.ceil((lastQueued + limits.resendIntervalMs - now) / 6e4);
      throw new AppError(
        "resend_too_soon",
        `This invitation was emailed less than an hour ago. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        { retryAfterMs: lastQueued + limits.resendIntervalMs - now }
      );
    }
    const outboxId = await queueInvitationEmail(ctx, trx, { community, inviter: caller.person, invitee: person, message: membership.message, now, kind: "resend" });
    await setInvitationEmail(trx, communityId, personId, "queued", outboxId ?? null, now);
    await recordAudit(trx, { actorId: caller.person.id, action: "invitation.resend", targetType: "membership", targetId: `${communityId}:${personId}` }, now);
    return { emailStatus: "queued", resendAllowedAt: now + limits.resendIntervalMs };
  });
}

// src/server/communities/communities.routes.ts
var id = z11.coerce.number().int().positive().max(2 ** 31);
var idParams3 = z11.object({ id });
var memberParams = z11.object({ id, personId: id });
var listQuery2 = z11.object({ q: z11.string().max(200).optional(), cursor: z11.string().max(500).optional(), limit: z11.coerce.number().int().min(1).max(200).optional() });
var tags2 = ["communities"];
function encodeCursor3(name2, cid) {
  return Buffer.from(JSON.stringify([name2, cid])).toString("base64url");
}
function decodeCursor3(s) {
  if (!s) return void 0;
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && Number.isSafeInteger(v[1])) return { name: v[0], id: v[1] };
  } catch {
  }
  return void 0;
}
function page(result) {
  const last = result.items[result.items.length - 1];
  return { items: result.items, nextCursor: result.hasMore && last ? encodeCursor3(last.name, last.id) : null };
}
function adminShape(ctx, c) {
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    headline: c.headline,
    description: c.description,
    privacy: c.privacy,
    landingEnabled: c.landing_enabled === 1,
    landingPolicy: c.landing_policy,
    landingUrl: landingUrlOf(ctx, c.slug),
    createdAt: c.created_at
  };
}
var communitiesRoutes = async (app2) => {
  const { ctx } = app2;
  app2.get("/api/communities", { schema: { querystring: listQuery2, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    const { q, cursor, limit } = request.query;
    return page(await listCommunitiesForViewer(ctx, caller.person, { q, after: decodeCursor3(cursor), limit: limit ?? 50 }));
  });
  app2.get("/api/communities/:id", { schema: { params: idParams3, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    return getCommunityDetail(ctx, caller.person, request.params.id);
  });
  app2.patch("/api/communities/:id", { schema: { params: idParams3, body: updateCommunityInput, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
  });
  app2.get("/api/communities/:id/members", {
    schema: { params: idParams3, querystring: listQuery2.extend({ state: z11.enum(memberListStates).default("joined") }), tags: tags2 }
  }, async (request) => {
    const caller = requireCaller(request);
    if (request.query.state === "invited") return listInvitedMembers(ctx, caller, request.params.id, request.query);
    return listCommunityMembers(ctx, caller.person, request.params.id, request.query);
  });
  app2.post("/api/communities/:id/join", { schema: { params: idParams3, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    return joinCommunity(ctx, caller.person, request.params.id);
  });
  app2.post("/api/communities/:id/leave", { schema: { params: idParams3, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    await leaveCommunity(ctx, caller.person, request.params.id);
    return { state: "left" };
  });
  app2.post("/api/communities/:id/requests/:personId/approve", { schema: { params: memberParams, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    return { state: await approveJoinRequest(ctx, caller.person, request.params.id, request.params.personId) };
  });
  app2.post("/api/communities/:id/requests/:personId/decline", { schema: { params: memberParams, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    return { state: await declineJoinRequest(ctx, caller.person, request.params.id, request.params.personId) };
  });
  app2.post("/api/communities/:id/leaders/:personId", { schema: { params: memberParams, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    await setLeader(ctx, caller.person, request.params.id, request.params.personId, true);
    return { role: "leader" };
  });
  app2.delete("/api/communities/:id/leaders/:personId", { schema: { params: memberParams, tags: tags2 } }, async (request) => {
    const caller = requireCaller(request);
    await setLeader(ctx, caller.person, request.params.id, request.params.personId, false);
    return { role: "member" };
  });
  app2.get("/api/admin/communities", { schema: { querystring: listQuery2, tags: tags2 } }, async (request) => {
    requireAdmin(request);
    const { q, cursor, limit } = request.query;
    return page(await listCommunitiesForAdmin(ctx, { q, after: decodeCursor3(cursor), limit: limit ?? 50 }));
  });
  app2.post("/api/admin/communities", { schema: { body: createCommunityInput, tags: tags2 } }, async (request, reply) => {
    const caller = requireAdmin(request);
    return reply.code(201).send(adminShape(ctx, await createCommunity(ctx, caller.person, request.body)));
  });
  app2.patch("/api/admin/communities/:id", { schema: { params: idParams3, body: updateCommunityInput, tags: tags2 } }, async (request) => {
    const caller = requireAdmin(request);
    return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
  });
};

// src/server/site/site.routes.ts
import { z as z12 } from "zod";
var siteAnswer = z12.object({ name: z12.string() });
var siteRoutes = async (app2) => {
  const { ctx } = app2;
  app2.get("/api/site", {
    schema: { tags: ["site"], summary: "The site\u2019s name (public)", response: { 200: siteAnswer } }
  }, async () => ({ name: ctx.config.siteName }));
};

// src/server/landing/landing.routes.ts
import { z as z13 } from "zod";

// src/server/landing/landing-join.service.ts
var JOINABLE = ["invited", "requested", "dismissed", "left"];
async function joinFromLanding(ctx, trx, communityId, personId) {
  const now = ctx.clock.now();
  const existing = await lockMembership2(trx, communityId, personId, isPostgres(trx));
  let joined;
  if (!existing) {
    joined = await insertLandingMembership(trx, communityId, personId, "joined", now);
  } else if (existing.state === "joined") {
    return "already_member";
  } else if (existing.state === "removed") {
    return "not_joined";
  } else {
    joined = await markMembershipJoined(trx, communityId, personId, JOINABLE, now);
  }
  if (!joined) return "already_member";
  await bumpLandingStat(trx, communityId, "joined", now);
  return "joined";
}
async function rememberLandingJoin(ctx, trx, communityId, personId) {
  await insertLandingMembership(trx, communityId, personId, "requested", ctx.clock.now());
}

// src/server/landing/landing-member-count.ts
var KEEP_MS = 3e4;
var MAX_ENTRIES = 1e4;
var caches = /* @__PURE__ */ new WeakMap();
async function landingMemberCount(ctx, communityId) {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = /* @__PURE__ */ new Map();
    caches.set(ctx, cache);
  }
  const now = ctx.clock.now();
  const hit = cache.get(communityId);
  if (hit && now - hit.at < KEEP_MS) return hit.count;
  const count = await countJoinedMembers(ctx.db, communityId);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(communityId, { count, at: now });
  return count;
}

// src/server/landing/landing-page.service.ts
async function getLandingCommunity(ctx, slug) {
  const key = slug.toLowerCase();
  let community = await findCommunityBySlug(ctx.db, key);
  if (!community) {
    const current = await findSlugRedirect(ctx.db, key);
    if (current) community = await findCommunityBySlug(ctx.db, current);
  }
  if (!community || community.landing_enabled !== 1) throw new AppError("landing_disabled");
  return community;
}
async function findMovedLandingSlug(ctx, slug) {
  const key = slug.toLowerCase();
  if (await findCommunityBySlug(ctx.db, key)) return void 0;
  return findSlugRedirect(ctx.db, key);
}
async function viewLandingPage(ctx, slug) {
  const community = await getLandingCommunity(ctx, slug);
  const [memberCount, memberTypes] = await Promise.all([
    community.privacy === "public" ? landingMemberCount(ctx, community.id) : Promise.resolve(null),
    listMemberTypes(ctx.db)
  ]);
  countLandingEvent(ctx, community.id, "visits");
  return {
    siteName: ctx.config.siteName,
    slug: community.slug,
    community: {
      name: community.name,
      headline: community.landing_headline ?? community.headline,
      description: community.landing_welcome ?? community.description,
      memberCount
    },
    policy: { kind: community.landing_policy, domains: community.landing_policy === "domains" ? domainsOf(community) : [] },
    memberTypes: memberTypes.map((t) => t.name)
  };
}

// src/server/landing/landing-flow.service.ts
async function requestLandingCode(ctx, slug, input) {
  const community = await getLandingCommunity(ctx, slug);
  const { sent } = await requestSignInCode(ctx, {
    ...input,
    purpose: "landing",
    communityId: community.id,
    communityName: community.name,
    // The token rides in the fragment: browsers never send it, so no server or proxy logs it.
    linkPath: `/join/${community.slug}#link=`
  });
  if (sent) countLandingEvent(ctx, community.id, "codes_sent");
}
function policyAdmits(community, email) {
  switch (community.landing_policy) {
    case "anyone":
      return true;
    case "known":
      return false;
    case "domains": {
      const domain = email.slice(email.lastIndexOf("@") + 1);
      return domainsOf(community).some((d) => domain === d || domain.endsWith(`.${d}`));
    }
  }
}
var ProfileRequired = class extends Error {
  constructor(fields, memberTypes) {
    super("profile_required");
    this.fields = fields;
    this.memberTypes = memberTypes;
  }
  fields;
  memberTypes;
};
async function requireProfile(trx, given, person) {
  const types = await listMemberTypes(trx);
  const first = given.firstName?.trim() || person?.first_name || "";
  const last = given.lastName?.trim() || person?.last_name || "";
  const needsType = types.length > 0 && (person?.member_type_id ?? null) === null;
  const missing = [...first ? [] : ["firstName"], ...last ? [] : ["lastName"], ...needsType && !given.memberType?.trim() ? ["memberType"] : []];
  if (missing.length > 0) throw new ProfileRequired(missing, types.map((t) => t.name));
  let memberTypeId = person?.member_type_id ?? null;
  if (needsType) {
    const type = await findMemberTypeByName(trx, given.memberType ?? "");
    if (!type) throw new AppError("unknown_member_type", void 0, { memberTypes: types.map((t) => t.name) });
    memberTypeId = type.id;
  }
  return { first, last, memberTypeId };
}
async function applyVerifiedEmail(ctx, trx, community, email, given, userAgent) {
  const now = ctx.clock.now();
  const base = { communityId: community.id, communityName: community.name };
  let person = await findPersonByEmail2(trx, email);
  let created = false;
  if (!person) {
    const profile = await requireProfile(trx, given);
    const admitted = policyAdmits(community, email);
    person = await insertPerson(trx, {
      email,
      first_name: profile.first,
      last_name: profile.last,
      member_type_id: profile.memberTypeId,
      status: admitted ? "active" : "pending",
      is_admin: 0,
      unique_id: null,
      preverification_id: null,
      invite_token_hash: null,
      created_at: now,
      updated_at: now,
      activated_at: admitted ? now : null,
      last_sign_in_at: null
    });
    created = true;
    await bumpLandingStat(trx, community.id, "people_created", now);
    if (!admitted) {
      await rememberLandingJoin(ctx, trx, community.id, person.id);
      return { ok: true, signedIn: null, result: { ...base, outcome: "pending_approval", signedIn: false, created } };
    }
  }
  switch (person.status) {
    case "pending":
      return { ok: false, error: "account_pending" };
    case "inactive":
      return { ok: false, error: "account_inactive" };
    case "pre_verified":
    case "invited": {
      if (!person.first_name || !person.last_name) {
        const profile = await requireProfile(trx, given, person);
        await updatePerson(trx, person.id, { first_name: profile.first, last_name: profile.last, member_type_id: profile.memberTypeId, updated_at: now });
      }
      person = await activatePerson(trx, person.id, now);
      break;
    }
    case "active":
      break;
  }
  const joined = await joinFromLanding(ctx, trx, community.id, person.id);
  const signedIn = await startSession(ctx, trx, person, userAgent);
  return { ok: true, signedIn, result: { ...base, outcome: joined, signedIn: true, created } };
}
async function completeLandingVisit(ctx, slug, how, verify, given, userAgent) {
  const community = await getLandingCommunity(ctx, slug);
  let visit;
  try {
    visit = await ctx.db.transaction().execute(async (trx) => {
      const verification = await verify(trx);
      if (!verification.ok) return verification;
      await bumpLandingStat(trx, community.id, "verified", ctx.clock.now());
      return applyVerifiedEmail(ctx, trx, community, verification.email, given, userAgent);
    });
  } catch (error) {
    if (error instanceof ProfileRequired) {
      throw new AppError("profile_required", void 0, { fields: error.fields, memberTypes: error.memberTypes });
    }
    throw error;
  }
  if (!visit.ok) {
    ctx.log.info({ event: "landing.refused", how, reason: visit.error, communityId: community.id }, "landing visit refused");
    throw new AppError(visit.error);
  }
  ctx.log.info({ event: "landing.verified", how, outcome: visit.result.outcome, communityId: community.id, personId: visit.signedIn?.person.id }, "landing visit");
  return visit;
}
function verifyLandingCode(ctx, slug, input, userAgent) {
  ctx.log.debug({ email: maskEmail(input.email) }, "landing code entered");
  return completeLandingVisit(ctx, slug, "code", (trx) => verifySignInCode(ctx, trx, input), input, userAgent);
}
function followLandingLink(ctx, slug, input, userAgent) {
  return completeLandingVisit(ctx, slug, "link", (trx) => verifySignInLink(ctx, trx, input), input, userAgent);
}
async function joinLandingSignedIn(ctx, slug, person) {
  const community = await getLandingCommunity(ctx, slug);
  const joined = await ctx.db.transaction().execute((trx) => joinFromLanding(ctx, trx, community.id, person.id));
  return { outcome: joined, signedIn: true, communityId: community.id, communityName: community.name, created: false };
}

// src/server/landing/landing.routes.ts
var slugParams = z13.object({ slug: z13.string().min(1).max(100) });
var idParams4 = z13.object({ id: z13.coerce.number().int().positive() });
async function finishVisit(request, reply, visit) {
  const { ctx } = request.server;
  if (visit.signedIn) {
    if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
    setSessionCookie(reply, ctx.config, visit.signedIn.session.token);
  }
  clearAttemptCookie(reply, ctx.config);
  return visit.result;
}
var landingRoutes = async (app2) => {
  const { ctx } = app2;
  app2.addHook("onClose", async () => {
    await flushLandingCounts(ctx);
  });
  app2.get("/join/:slug", { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const moved = await findMovedLandingSlug(ctx, request.params.slug);
    if (moved) return reply.redirect(`/join/${moved}`, 301);
    return reply.callNotFound();
  });
  app2.get("/api/landing/:slug", {
    schema: { tags: ["landing"], summary: "A community landing page (the same for every visitor; an old slug answers with the current one)", params: slugParams, response: { 200: landingPageSchema } }
  }, async (request) => viewLandingPage(ctx, request.params.slug));
  app2.post("/api/landing/:slug/code", {
    schema: {
      tags: ["landing"],
      summary: "Email a 6-digit code and a sign-in link (the same answer for every address)",
      params: slugParams,
      body: landingEmailInput,
      response: { 200: signInCodeAnswer }
    }
  }, async (request, reply) => {
    const attemptToken = issueAttemptCookie(request, reply, ctx.config);
    await requestLandingCode(ctx, request.params.slug, { email: request.body.email, ip: request.ip, attemptToken });
    return { ok: true, expiresInSeconds: limits.signInCodeTtlMs / 1e3, resendAfterSeconds: limits.codeSendMinIntervalMs / 1e3 };
  });
  app2.post("/api/landing/:slug/verify", {
    schema: {
      tags: ["landing"],
      summary: "Verify the code; sign in and join (400 profile_required: send the names with the same code)",
      params: slugParams,
      body: landingVerifyInput,
      response: { 200: landingResultSchema }
    }
  }, async (request, reply) => {
    const visit = await verifyLandingCode(ctx, request.params.slug, { ...request.body, attemptToken: attemptTokenOf(request, ctx.config) }, request.headers["user-agent"]);
    return finishVisit(request, reply, visit);
  });
  app2.post("/api/landing/:slug/link", {
    schema: {
      tags: ["landing"],
      summary: "Follow the emailed link: the page's Continue button posts its token (GET never signs in)",
      params: slugParams,
      body: landingLinkInput,
      response: { 200: landingResultSchema }
    }
  }, async (request, reply) => {
    const visit = await followLandingLink(ctx, request.params.slug, { ...request.body, attemptToken: attemptTokenOf(request, ctx.config) }, request.headers["user-agent"]);
    return finishVisit(request, reply, visit);
  });
  app2.post("/api/landing/:slug/join", {
    schema: { tags: ["landing"], summary: "Join from the page while signed in (no new code needed)", params: slugParams, response: { 200: landingResultSchema } }
  }, async (request) => joinLandingSignedIn(ctx, request.params.slug, requireCaller(request).person));
  app2.get("/api/communities/:id/landing", {
    schema: { tags: ["landing"], summary: "Landing page settings (admins and the community's leaders)", params: idParams4, response: { 200: landingSettingsSchema } }
  }, async (request) => getLandingSettings(ctx, requireCaller(request), request.params.id));
  app2.patch("/api/communities/:id/landing", {
    schema: { tags: ["landing"], summary: "Change the landing page settings (admins and the community's leaders)", params: idParams4, body: landingSettingsInput, response: { 200: landingSettingsSchema } }
  }, async (request) => updateLandingSettings(ctx, requireCaller(request), request.params.id, request.body));
  app2.get("/api/communities/:id/landing/stats", {
    schema: { tags: ["landing"], summary: "Landing page numbers: visits, codes sent, verified, joined, new people", params: idParams4, response: { 200: landingStatsSchema } }
  }, async (request) => getLandingStats(ctx, requireCaller(request), request.params.id));
  for (const format of ["png", "svg"]) {
    app2.get(`/api/communities/:id/landing/qr.${format}`, {
      schema: { tags: ["landing"], summary: `The landing page link as a QR code (${format.toUpperCase()})`, params: idParams4 }
    }, async (request, reply) => {
      const qr = await renderLandingQr(ctx, requireCaller(request), request.params.id, format);
      return reply.type(format === "png" ? "image/png" : "image/svg+xml").header("content-disposition", `attachment; filename="join-${qr.slug}.${format}"`).header("cache-control", "private, no-store").send(qr.body);
    });
  }
};

// src/server/invitations/invitation.routes.ts
import rateLimit from "@fastify/rate-limit";
import { z as z15 } from "zod";

// src/shared/invitations.ts
import { z as z14 } from "zod";
var inviteRequestSchema = z14.object({
  // at most 2^31 − 1: a Profile ID is an `integer` column (PostgreSQL refuses larger numbers in a comparison)
  personIds: z14.array(z14.number().int().positive().max(2147483647)).max(10 * limits.invitationRecipients).optional(),
  /** the pasted text, as one string */
  emails: z14.string().max(2e5).optional(),
  message: z14.string().optional(),
  sendEmail: z14.boolean()
});
var inviteMessages = {
  emailed: "invited, email queued",
  email_not_requested: "invited, no email (sending was switched off)",
  pre_verified: "invited, no email: pre-verified \u2014 share their invite URL or use Data Tools",
  email_suppressed: "invited, no email: email suppressed (unsubscribed or bouncing)",
  no_email_address: "invited, no email: no email address on file",
  already_invited: "already invited \u2014 no new email (use Resend)",
  already_member: "skipped: already a member",
  awaiting_site_approval: "skipped: awaiting site approval",
  inactive: "skipped: inactive",
  invalid_email: "skipped: invalid email",
  unknown_person: "skipped: no such person"
};

// src/shared/email-list.ts
var localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
var domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
function isEmailAddress(value) {
  const email = value.toLowerCase();
  if (email.length > limits.emailChars) return false;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at !== email.indexOf("@")) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !localPart.test(local)) return false;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => domainLabel.test(l))) return false;
  const tld = labels[labels.length - 1];
  return /^[a-z]{2,63}$/.test(tld) || /^xn--[a-z0-9-]{2,59}$/.test(tld);
}
function normalizeEmail3(value) {
  return value.trim().toLowerCase();
}
var softSeparator = /\s/;
var hardSeparator = /[,;\r\n]/;
function tokenize(text) {
  const tokens = [];
  let word = "";
  const flushWord = () => {
    if (word) tokens.push({ kind: "word", text: word });
    word = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === '"') {
      const close = text.indexOf(c === "<" ? ">" : '"', i + 1);
      if (close !== -1) {
        flushWord();
        tokens.push({ kind: c === "<" ? "angle" : "quoted", text: text.slice(i + 1, close) });
        i = close;
        continue;
      }
    }
    if (hardSeparator.test(c)) {
      flushWord();
      tokens.push({ kind: "break" });
    } else if (softSeparator.test(c)) {
      flushWord();
    } else {
      word += c;
    }
  }
  flushWord();
  return tokens;
}
var cleanName = (name2) => name2.replace(/\s+/g, " ").trim().slice(0, 2 * limits.nameChars + 1);
function parseEmailList(text) {
  const entries = [];
  const seen = /* @__PURE__ */ new Set();
  const invalid = [];
  const seenInvalid = /* @__PURE__ */ new Set();
  let duplicates = 0;
  let pendingName = [];
  const addInvalid = (raw) => {
    const value = raw.trim();
    if (!value || seenInvalid.has(value)) return;
    seenInvalid.add(value);
    invalid.push(value);
  };
  const flushPending = () => {
    if (pendingName.length) addInvalid(pendingName.join(" "));
    pendingName = [];
  };
  const addAddress = (raw, name2) => {
    const email = normalizeEmail3(raw);
    if (!isEmailAddress(email)) {
      addInvalid(name2 ? `${name2} <${raw.trim()}>` : raw);
      return;
    }
    if (seen.has(email)) {
      duplicates++;
      return;
    }
    seen.add(email);
    entries.push({ email, name: name2 ? cleanName(name2) || null : null });
  };
  for (const token of tokenize(text)) {
    if (token.kind === "break") flushPending();
    else if (token.kind === "angle") {
      const name2 = pendingName.join(" ");
      pendingName = [];
      addAddress(token.text, name2 || null);
    } else if (token.kind === "quoted") {
      pendingName.push(token.text);
    } else if (token.text.includes("@")) {
      flushPending();
      addAddress(token.text, null);
    } else {
      pendingName.push(token.text);
    }
  }
  flushPending();
  return { entries, invalid, duplicates };
}

// src/server/invitations/idempotency.ts
import crypto6 from "node:crypto";
function requestHash(scope, body) {
  return crypto6.createHash("sha256").update(scope).update("\n").update(JSON.stringify(body)).digest("hex");
}
async function findSavedAnswer(db, personId, key, hash) {
  const row = await db.selectFrom("idempotency_key").select(["request_hash", "status_code", "response"]).where("person_id", "=", personId).where("key", "=", key).executeTakeFirst();
  if (!row) return void 0;
  if (row.request_hash !== hash) throw new AppError("idempotency_key_reused");
  return { statusCode: row.status_code, body: JSON.parse(row.response) };
}
async function saveAnswer(db, personId, key, hash, answer, now) {
  await db.insertInto("idempotency_key").values({
    person_id: personId,
    key,
    request_hash: hash,
    status_code: answer.statusCode,
    response: JSON.stringify(answer.body),
    created_at: now
  }).execute();
}

// src/server/invitations/recipient.ts
function decideRecipient(f) {
  if (f.status === "pending") return { invite: false, outcome: "skipped", reason: "awaiting_site_approval" };
  if (f.status === "inactive") return { invite: false, outcome: "skipped", reason: "inactive" };
  if (f.membershipState === "joined") return { invite: false, outcome: "skipped", reason: "already_member" };
  if (f.membershipState === "invited") return { invite: false, outcome: "already_invited", reason: "already_invited" };
  if (f.membershipState !== void 0 && !reinvitableStates.includes(f.membershipState)) {
    return { invite: false, outcome: "skipped", reason: "already_member" };
  }
  if (f.status === "pre_verified") return { invite: true, emailStatus: "pre_verified", reason: "pre_verified" };
  if (!f.sendEmail) return { invite: true, emailStatus: "not_sent", reason: "email_not_requested" };
  if (!f.hasEmail) return { invite: true, emailStatus: "not_sent", reason: "no_email_address" };
  if (f.suppressed) return { invite: true, emailStatus: "suppressed", reason: "email_suppressed" };
  return { invite: true, emailStatus: "queued", reason: "emailed" };
}

// src/server/invitations/retry.ts
function errorCode(error) {
  const code = error?.code;
  return typeof code === "string" ? code : void 0;
}
function isUniqueViolation(error) {
  const code = errorCode(error);
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
function isTransient(error) {
  const code = errorCode(error);
  return code === "40001" || code === "40P01" || code === "SQLITE_BUSY";
}
async function retryOnConflict(work, attempts = 4) {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts || !(isTransient(error) || isUniqueViolation(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * i + Math.random() * 10));
    }
  }
}

// src/server/invitations/invitation.service.ts
function cleanMessage(message) {
  const text = (message ?? "").replace(/\r\n?/g, "\n");
  if (text.length > limits.invitationMessageChars) {
    throw new AppError("message_too_long", `The message may be at most ${limits.invitationMessageChars.toLocaleString("en-US")} characters (it has ${text.length.toLocaleString("en-US")}).`);
  }
  return text.trim() ? text : null;
}
async function inviteToCommunity(ctx, caller, communityId, input, idempotencyKey) {
  const message = cleanMessage(input.message);
  const hash = idempotencyKey ? requestHash(`invite:${communityId}`, input) : "";
  const personId = caller.person.id;
  try {
    return await retryOnConflict(() => ctx.db.transaction().execute(async (trx) => {
      if (idempotencyKey) {
        const saved = await findSavedAnswer(trx, personId, idempotencyKey, hash);
        if (saved) return saved.body;
      }
      const community = await getManagedCommunity2(trx, caller, communityId);
      const response = await inviteBatch(ctx, trx, caller, community, input, message);
      await recordAudit(trx, {
        actorId: personId,
        action: "invitation.invite",
        targetType: "community",
        targetId: community.id,
        details: { ...response.summary, sendEmail: input.sendEmail }
      }, ctx.clock.now());
      if (idempotencyKey) await saveAnswer(trx, personId, idempotencyKey, hash, { statusCode: 200, body: response }, ctx.clock.now());
      return response;
    }));
  } catch (error) {
    if (idempotencyKey && isUniqueViolation(error)) {
      const saved = await findSavedAnswer(ctx.db, personId, idempotencyKey, hash);
      if (saved) return saved.body;
    }
    throw error;
  }
}
async function collectRecipients(trx, input) {
  const pickedIds = [...new Set(input.personIds ?? [])];
  const parsed = parseEmailList(input.emails ?? "");
  const picked = new Map((await findPeopleByIds(trx, pickedIds)).map((p) => [p.id, p]));
  const pickedEmails = new Set([...picked.values()].map((p) => p.email).filter((e) => !!e));
  const pasted = parsed.entries.filter((e) => !pickedEmails.has(e.email));
  const count = pickedIds.length + pasted.length;
  if (count > limits.invitationRecipients) {
    throw new AppError(
      "invitation_limit_exceeded",
      `At most ${limits.invitationRecipients} recipients per invitation; this one has ${count} after removing duplicates. Split it into smaller batches or use Data Tools.`,
      { limit: limits.invitationRecipients, count }
    );
  }
  if (count === 0 && parsed.invalid.length === 0) throw new AppError("no_recipients");
  const recipients = pickedIds.map((id3) => {
    const person = picked.get(id3);
    return { email: person?.email ?? null, pastedName: null, person, created: false, pickedId: id3 };
  });
  const known = new Map((await findPeopleByEmails(trx, pasted.map((e) => e.email))).map((p) => [p.email, p]));
  for (const entry of pasted) {
    recipients.push({ email: entry.email, pastedName: entry.name, person: known.get(entry.email), created: false, pickedId: null });
  }
  return { recipients, invalid: parsed.invalid };
}
function splitName(name2) {
  const words = (name2 ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: "", lastName: "" };
  if (words.length === 1) return { firstName: words[0].slice(0, limits.nameChars), lastName: "" };
  return { firstName: words.slice(0, -1).join(" ").slice(0, limits.nameChars), lastName: words[words.length - 1].slice(0, limits.nameChars) };
}
async function createUnknownPeople(ctx, trx, recipients) {
  const unknown = recipients.filter((r) => !r.person && r.email && r.pickedId === null);
  if (!unknown.length) return;
  const entries = unknown.map((r) => ({ email: r.email, name: r.pastedName }));
  const created = await insertInvitedPeople(trx, entries.map((e) => ({ email: e.email, ...splitName(e.name) })), ctx.clock.now());
  const byEmail = new Map(created.map((p) => [p.email, p]));
  for (const r of unknown) {
    r.person = byEmail.get(r.email);
    r.created = !!r.person;
  }
  const missing = unknown.filter((r) => !r.person);
  if (missing.length) {
    const found = new Map((await findPeopleByEmails(trx, missing.map((r) => r.email))).map((p) => [p.email, p]));
    for (const r of missing) r.person = found.get(r.email);
  }
}
var displayName = (p, fallback) => (p ? `${p.first_name} ${p.last_name}`.trim() : "") || fallback || null;
function resultOf(r, outcome, reason) {
  return {
    email: r.person?.email ?? r.email,
    personId: r.person?.id ?? r.pickedId,
    name: displayName(r.person, r.pastedName),
    outcome,
    reason,
    message: inviteMessages[reason],
    created: r.created
  };
}
async function inviteBatch(ctx, trx, caller, community, input, message) {
  const now = ctx.clock.now();
  const { recipients, invalid } = await collectRecipients(trx, input);
  await createUnknownPeople(ctx, trx, recipients);
  const people = recipients.flatMap((r) => r.person ? [r.person] : []);
  const suppressed = await findSuppressedEmails(trx, people.flatMap((p) => p.email ? [p.email] : []));
  const memberships = await findMemberships(trx, community.id, people.map((p) => p.id));
  const decisions = recipients.map((r) => r.person ? decideRecipient({
    status: r.person.status,
    hasEmail: !!r.person.email,
    membershipState: memberships.get(r.person.id)?.state,
    suppressed: !!r.person.email && suppressed.has(r.person.email),
    sendEmail: input.sendEmail
  }) : void 0);
  const emails = /* @__PURE__ */ new Map();
  recipients.forEach((r, i) => {
    if (r.person && decisions[i]?.invite && decisions[i].emailStatus === "queued") {
      emails.set(r.person.id, invitationEmail({ community, inviter: caller.person, invitee: r.person, message, now }));
    }
  });
  const outboxIds = await queueInvitationEmails(ctx, trx, [...emails.values()]);
  const outboxIdOf = (personId) => {
    const email = emails.get(personId);
    return email ? outboxIds.get(email.dedupeKey) ?? null : null;
  };
  const toInvite = recipients.flatMap((r, i) => {
    const d = decisions[i];
    return r.person && d?.invite ? [{ personId: r.person.id, emailStatus: d.emailStatus, outboxId: outboxIdOf(r.person.id) }] : [];
  });
  const invited = await upsertInvitations(trx, community.id, caller.person.id, message, toInvite, now);
  const lost = toInvite.filter((i) => !invited.has(i.personId));
  await unqueueInvitationEmails(trx, lost.flatMap((i) => i.outboxId === null ? [] : [i.outboxId]));
  const current = lost.length ? await findMemberships(trx, community.id, lost.map((i) => i.personId)) : /* @__PURE__ */ new Map();
  const results = [];
  for (const [i, r] of recipients.entries()) {
    const d = decisions[i];
    if (!r.person || !d) {
      results.push(resultOf(r, "skipped", "unknown_person"));
    } else if (!d.invite) {
      results.push(resultOf(r, d.outcome, d.reason));
    } else if (!invited.has(r.person.id)) {
      const joined = current.get(r.person.id)?.state === "joined";
      results.push(resultOf(r, joined ? "skipped" : "already_invited", joined ? "already_member" : "already_invited"));
    } else {
      results.push(resultOf(r, "invited", d.reason));
    }
  }
  for (const text of invalid) {
    results.push({ email: text, personId: null, name: null, outcome: "skipped", reason: "invalid_email", message: inviteMessages.invalid_email, created: false });
  }
  return {
    summary: {
      recipients: results.length,
      invited: results.filter((r) => r.outcome === "invited").length,
      emailed: results.filter((r) => r.reason === "emailed").length,
      alreadyInvited: results.filter((r) => r.outcome === "already_invited").length,
      skipped: results.filter((r) => r.outcome === "skipped").length
    },
    results
  };
}

// src/server/invitations/people-search.ts
async function searchPeopleRows(db, q, limit, communityId) {
  const end = `${q}\uFFFF`;
  const scan = (column) => {
    const ordered = db.selectFrom("person").select("id").where(column, ">=", q).where(column, "<", end).orderBy(column);
    return (column === "email" ? ordered : ordered.orderBy("id")).limit(limit);
  };
  const columnsToScan = q.includes(" ") ? ["name_key"] : ["name_key", "last_name_key", "email"];
  return db.selectFrom("person as p").leftJoin("membership as m", (join) => join.onRef("m.person_id", "=", "p.id").on("m.community_id", "=", communityId ?? -1)).select(["p.id", "p.email", "p.first_name", "p.last_name", "p.status", "p.name_key", "m.state as membership_state"]).where("p.id", "in", (eb) => {
    const [first, ...rest] = columnsToScan.map((column, i) => eb.selectFrom(scan(column).as(`s${i}`)).select(`s${i}.id`));
    return rest.reduce((union, next) => union.union(next), first);
  }).orderBy("p.name_key").orderBy("p.id").limit(limit).execute();
}
async function searchPeople(ctx, caller, input) {
  if (input.communityId !== void 0) await getManagedCommunity2(ctx.db, caller, input.communityId);
  else if (caller.person.is_admin !== 1) throw new AppError("forbidden", "Name the community you are inviting to (communityId).");
  const q = input.q.trim().toLowerCase().replace(/\s+/g, " ");
  if (q.length < limits.typeaheadMinChars) return [];
  const limit = Math.min(Math.max(input.limit ?? limits.typeaheadResults, 1), limits.typeaheadResults);
  const rows = await searchPeopleRows(ctx.db, q, limit, input.communityId ?? null);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    status: r.status,
    membershipState: r.membership_state ?? null
  }));
}

// src/server/invitations/recommended.repository.ts
var communityColumns = ["c.id", "c.name", "c.headline", "c.slug", "c.privacy"];
async function listOpenInvitationsOf(db, personId, limit) {
  return db.selectFrom("membership as m").innerJoin("community as c", "c.id", "m.community_id").leftJoin("person as i", "i.id", "m.invited_by").select([...communityColumns, "m.invited_at", "m.message", "i.first_name as inviter_first_name", "i.last_name as inviter_last_name", "i.email as inviter_email", "i.id as inviter_id"]).where("m.person_id", "=", personId).where("m.state", "=", "invited").orderBy("m.invited_at", "desc").orderBy("c.id", "desc").limit(limit).execute();
}
async function listJoinedCommunitiesOf(db, personId, limit) {
  return db.selectFrom("membership as m").innerJoin("community as c", "c.id", "m.community_id").select([...communityColumns, "m.role"]).where("m.person_id", "=", personId).where("m.state", "=", "joined").orderBy("c.name").orderBy("c.id").limit(limit).execute();
}
async function listSuggestedCommunities(db, personId, limit) {
  return db.selectFrom("community as c").select([...communityColumns]).where("c.privacy", "=", "public").where((eb) => eb.not(eb.exists(eb.selectFrom("membership as m").select("m.person_id").whereRef("m.community_id", "=", "c.id").where("m.person_id", "=", personId).where("m.state", "in", ["joined", "invited", "requested", "removed"])))).orderBy("c.id", "desc").limit(limit).execute();
}

// src/server/invitations/recommended.service.ts
var card = (c) => ({ id: c.id, name: c.name, headline: c.headline, slug: c.slug, privacy: c.privacy });
async function getRecommendedCommunities(ctx, caller) {
  const personId = caller.person.id;
  const [invitations, communities, suggestions] = await Promise.all([
    listOpenInvitationsOf(ctx.db, personId, 100),
    listJoinedCommunitiesOf(ctx.db, personId, 500),
    listSuggestedCommunities(ctx.db, personId, 12)
  ]);
  return {
    invitations: invitations.map((i) => ({
      community: card(i),
      // An admin made by `convene admin add` may have no name yet: show their email, not a wrong "A leader".
      invitedBy: i.inviter_id === null ? null : { name: `${i.inviter_first_name ?? ""} ${i.inviter_last_name ?? ""}`.trim() || i.inviter_email || "A leader" },
      invitedAt: i.invited_at,
      message: i.message
    })),
    communities: communities.map((c) => ({ ...card(c), role: c.role })),
    suggestions: suggestions.map(card)
  };
}
async function dismissInvitation(ctx, caller, communityId) {
  await ctx.db.transaction().execute(async (trx) => {
    await getVisibleCommunity2(trx, caller, communityId);
    if (!await closeInvitation(trx, communityId, caller.person.id, "dismissed", ctx.clock.now())) throw notFound("Open invitation");
  });
}

// src/server/invitations/invitation.routes.ts
var id2 = z15.coerce.number().int().positive().max(MAX_ROW_ID);
var communityParams = z15.object({ id: id2 });
var invitationParams = z15.object({ id: id2, personId: id2 });
var invitedQuery = z15.object({
  q: z15.string().max(200).optional(),
  cursor: z15.string().max(200).optional(),
  limit: z15.coerce.number().int().min(1).max(200).optional()
});
var searchQuery = z15.object({
  q: z15.string().max(200).default(""),
  communityId: id2.optional(),
  limit: z15.coerce.number().int().min(1).max(limits.typeaheadResults).optional()
});
var tags3 = ["invitations"];
function idempotencyKeyOf(value) {
  if (value === void 0) return void 0;
  const key = Array.isArray(value) ? value[0] : value;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new AppError("bad_request", "The Idempotency-Key header must be 1 to 200 printable ASCII characters.");
  return key;
}
var invitationRoutes = async (app2) => {
  const { ctx } = app2;
  await app2.register(rateLimit, {
    global: false,
    keyGenerator: (request) => request.caller ? `person:${request.caller.person.id}` : `ip:${request.ip}`
  });
  app2.post("/api/communities/:id/invitations", {
    schema: {
      tags: tags3,
      params: communityParams,
      body: inviteRequestSchema,
      summary: "Invite up to 250 people (person IDs and/or pasted emails); one outcome per recipient. Honours Idempotency-Key."
    }
  }, async (request) => {
    const caller = requireCaller(request);
    return inviteToCommunity(ctx, caller, request.params.id, request.body, idempotencyKeyOf(request.headers["idempotency-key"]));
  });
  app2.get("/api/communities/:id/invitations", {
    schema: { tags: tags3, params: communityParams, querystring: invitedQuery, summary: "The Invited directory (also served as members?state=invited)" }
  }, async (request) => listInvitedMembers(ctx, requireCaller(request), request.params.id, request.query));
  app2.post("/api/communities/:id/invitations/:personId/revoke", {
    schema: { tags: tags3, params: invitationParams, summary: "Revoke an open invitation" }
  }, async (request) => {
    await revokeInvitation(ctx, requireCaller(request), request.params.id, request.params.personId);
    return { ok: true };
  });
  app2.post("/api/communities/:id/invitations/:personId/resend", {
    schema: { tags: tags3, params: invitationParams, summary: "Email an open invitation again (at most once an hour)" }
  }, async (request) => resendInvitation(ctx, requireCaller(request), request.params.id, request.params.personId));
  app2.get("/api/people/search", {
    config: { rateLimit: { max: 30, timeWindow: 5e3 } },
    schema: { tags: tags3, querystring: searchQuery, summary: "Typeahead over site people (admins; leaders with communityId)" }
  }, async (request) => ({ items: await searchPeople(ctx, requireCaller(request), request.query) }));
  app2.get("/api/me/recommended-communities", {
    schema: { tags: tags3, summary: "Open invitations (newest first), my communities, and public suggestions" }
  }, async (request) => getRecommendedCommunities(ctx, requireCaller(request)));
  app2.post("/api/communities/:id/dismiss", {
    schema: { tags: tags3, params: communityParams, summary: '"Not now": dismiss an open invitation' }
  }, async (request) => {
    await dismissInvitation(ctx, requireCaller(request), request.params.id);
    return { ok: true };
  });
};

// src/server/data-tools/data-job.routes.ts
import multipart from "@fastify/multipart";
import { z as z18 } from "zod";

// src/server/data-tools/counters.ts
function emptyCounters() {
  return { outcomes: {}, reasons: {} };
}
function parseCounters(text) {
  const c = text ? JSON.parse(text) : {};
  return { outcomes: c.outcomes ?? {}, reasons: c.reasons ?? {}, ...c.revoked !== void 0 ? { revoked: c.revoked } : {} };
}
function addOutcomes(counters, outcomes) {
  for (const o of outcomes) {
    counters.outcomes[o.outcome] = (counters.outcomes[o.outcome] ?? 0) + 1;
    if (o.reason) counters.reasons[o.reason] = (counters.reasons[o.reason] ?? 0) + 1;
  }
  return counters;
}

// src/server/data-tools/data-job.mapper.ts
function progressOf(job, now) {
  const done = job.processed_rows;
  const total = job.row_count;
  if (job.started_at === null || done === 0) return { done, total, ratePerSecond: null, secondsLeft: null };
  const seconds = Math.max(1e-3, ((job.finished_at ?? now) - job.started_at) / 1e3);
  const rate = done / seconds;
  const running = job.status === "running" || job.status === "queued";
  return { done, total, ratePerSecond: Math.round(rate), secondsLeft: running ? Math.ceil((total - done) / rate) : 0 };
}
function canUndo(job, counters) {
  return job.type === "invite_to_community" && ["completed", "canceled", "failed"].includes(job.status) && (counters.outcomes.invited ?? 0) > 0;
}
function toJobSummary(job, now) {
  const counters = parseCounters(job.counters);
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    fileName: job.file_name,
    rowCount: job.row_count,
    counters,
    progress: progressOf(job, now),
    createdBy: { id: job.created_by, name: `${job.creator_first ?? ""} ${job.creator_last ?? ""}`.trim() },
    createdAt: job.created_at,
    startedAt: job.started_at,
    finishedAt: job.finished_at
  };
}
function toJob(job, extras) {
  const counters = parseCounters(job.counters);
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    fileName: job.file_name,
    hasHeader: job.has_header === 1,
    rowCount: job.row_count,
    columns: JSON.parse(job.columns),
    sample: extras.sample,
    suggestedMapping: extras.suggestedMapping,
    mappingRemembered: extras.mappingRemembered,
    mapping: job.mapping ? JSON.parse(job.mapping) : null,
    dryRun: job.dry_run ? JSON.parse(job.dry_run) : null,
    counters,
    progress: progressOf(job, extras.now),
    error: job.error,
    createdBy: extras.createdBy,
    createdAt: job.created_at,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
    canUndo: canUndo(job, counters)
  };
}
function toResult(row) {
  return {
    rowNumber: row.row_number,
    values: row.values ? JSON.parse(row.values) : [],
    outcome: row.outcome,
    reason: row.reason,
    personId: row.person_id,
    communityId: row.community_id
  };
}

// src/server/jobs/queue.repository.ts
import { sql as sql7 } from "kysely";
async function enqueueJob(db, name2, payload, now, options = {}) {
  const row = await db.insertInto("job").values({
    name: name2,
    payload: JSON.stringify(payload),
    state: "queued",
    attempts: 0,
    max_attempts: options.maxAttempts ?? 5,
    run_at: options.runAt ?? now,
    locked_by: null,
    locked_until: null,
    last_error: null,
    dedupe_key: options.dedupeKey ?? null,
    created_at: now,
    updated_at: now
    // The conflict target repeats the partial index's predicate as literal SQL: SQLite matches
    // the index only when the text is the same (bound parameters would not match).
  }).onConflict((oc) => oc.column("dedupe_key").where(sql7.ref("state"), "in", sql7`('queued','running')`).doNothing()).returning("id").executeTakeFirst();
  return row?.id;
}

// src/server/data-tools/data-job.repository.ts
import { sql as sql9 } from "kysely";

// src/server/data-tools/bulk.repository.ts
import { sql as sql8 } from "kysely";
var pgType = (t) => t === "int" ? "integer" : t;
async function insertRows(db, table, columns, items, options = {}) {
  const toRow = options.toRow ?? ((item) => item);
  for (let i = 0; i < items.length; i += rowsPerStatement) {
    const rows = [];
    for (let j = i; j < Math.min(items.length, i + rowsPerStatement); j++) rows.push(toRow(items[j]));
    const returned = await insertSlice(db, table, columns, rows, options.tail ?? "", options.constants ?? []);
    options.onReturned?.(returned);
  }
}
var rowsPerStatement = 1e4;
async function insertSlice(db, table, columns, rows, tail, constants) {
  const names = [...columns, ...constants].map((c) => `"${c.name}"`).join(", ");
  const json = JSON.stringify(rows);
  if (isPostgres(db)) {
    const fixed2 = constants.map((c) => sql8`, ${c.value}::${sql8.raw(pgType(c.type))}`);
    const picks2 = columns.map((c, i) => `(e->>${i})::${pgType(c.type)}`).join(", ");
    return (await sql8`INSERT INTO ${sql8.raw(`"${table}" (${names})`)} SELECT ${sql8.raw(picks2)}${sql8.join(fixed2, sql8``)} FROM json_array_elements(${json}::json) e ${sql8.raw(tail)}`.execute(db)).rows;
  }
  const fixed = constants.map((c) => sql8`, ${c.value}`);
  const picks = columns.map((_, i) => `value->>${i}`).join(", ");
  return (await sql8`INSERT INTO ${sql8.raw(`"${table}" (${names})`)} SELECT ${sql8.raw(picks)}${sql8.join(fixed, sql8``)} FROM json_each(${json}) WHERE true ${sql8.raw(tail)}`.execute(db)).rows;
}
async function stageRows(db, dataJobId, firstRowNumber, records) {
  if (!records.length) return;
  const json = JSON.stringify(records);
  if (isPostgres(db)) {
    await sql8`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}::integer, ${firstRowNumber}::integer + (t.ord::integer) - 1, t.e::text FROM json_array_elements(${json}::json) WITH ORDINALITY AS t(e, ord)`.execute(db);
  } else {
    await sql8`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}, ${firstRowNumber} + key, value FROM json_each(${json})`.execute(db);
  }
}
function inJsonList(db, column, values, type) {
  if (isPostgres(db)) {
    return sql8`${sql8.ref(column)} = ANY(${values}::${sql8.raw(type === "int" ? "bigint[]" : "text[]")})`;
  }
  return sql8`${sql8.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}

// src/server/data-tools/data-job.repository.ts
async function insertUploadingDataJob(db, job) {
  const row = await db.insertInto("data_job").values({
    type: job.type,
    status: "uploaded",
    file_name: job.fileName,
    has_header: job.hasHeader ? 1 : 0,
    columns: "[]",
    row_count: 0,
    byte_count: 0,
    mapping: null,
    dry_run: null,
    counters: "{}",
    processed_rows: 0,
    cancel_requested: 0,
    uploading: 1,
    error: null,
    created_by: job.createdBy,
    created_at: job.now,
    updated_at: job.now,
    started_at: null,
    finished_at: null
  }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}
async function findDataJob(db, id3) {
  return db.selectFrom("data_job").selectAll().where("id", "=", id3).where("uploading", "=", 0).executeTakeFirst();
}
async function lockDataJob(db, id3) {
  const q = db.selectFrom("data_job").selectAll().where("id", "=", id3).where("uploading", "=", 0);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}
async function updateDataJob(db, id3, set) {
  await db.updateTable("data_job").set(set).where("id", "=", id3).execute();
}
async function transitionDataJob(db, id3, from, set) {
  const r = await db.updateTable("data_job").set(set).where("id", "=", id3).where("status", "in", from).where("uploading", "=", 0).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
async function listDataJobs(db, options) {
  let q = db.selectFrom("data_job").leftJoin("person", "person.id", "data_job.created_by").selectAll("data_job").select(["person.first_name as creator_first", "person.last_name as creator_last"]).where("data_job.uploading", "=", 0);
  const before = options.before;
  if (before) q = q.where((eb) => eb.or([eb("data_job.created_at", "<", before.at), eb.and([eb("data_job.created_at", "=", before.at), eb("data_job.id", "<", before.id)])]));
  return q.orderBy("data_job.created_at", "desc").orderBy("data_job.id", "desc").limit(options.limit).execute();
}
async function creatorName(db, personId) {
  const p = await db.selectFrom("person").select(["first_name", "last_name", "email"]).where("id", "=", personId).executeTakeFirst();
  if (!p) return "";
  return `${p.first_name} ${p.last_name}`.trim() || (p.email ?? "");
}
async function deleteDataJob(db, id3) {
  await db.deleteFrom("data_job_row").where("data_job_id", "=", id3).execute();
  await db.deleteFrom("data_job_result").where("data_job_id", "=", id3).execute();
  await db.deleteFrom("data_job").where("id", "=", id3).execute();
}
async function findAbandonedUploads(db, before) {
  const rows = await db.selectFrom("data_job").select("id").where("uploading", "=", 1).where("updated_at", "<", before).execute();
  return rows.map((r) => r.id);
}
async function readStagedRows(db, dataJobId, from, to) {
  const rows = await db.selectFrom("data_job_row").select(["row_number", "values"]).where("data_job_id", "=", dataJobId).where("row_number", ">=", from).where("row_number", "<=", to).orderBy("row_number").execute();
  return rows.map((r) => ({ rowNumber: r.row_number, values: JSON.parse(r.values) }));
}
async function readStagedRowsByNumber(db, dataJobId, rowNumbers) {
  if (!rowNumbers.length) return [];
  const rows = await db.selectFrom("data_job_row").select(["row_number", "values"]).where("data_job_id", "=", dataJobId).where("row_number", "in", rowNumbers).execute();
  return rows.map((r) => ({ rowNumber: r.row_number, values: JSON.parse(r.values) }));
}
async function readResultKeys(db, dataJobId, upToRow) {
  return db.selectFrom("data_job_result").select(["person_id", "community_id"]).where("data_job_id", "=", dataJobId).where("row_number", "<=", upToRow).where("person_id", "is not", null).execute();
}
async function listResults(db, dataJobId, options) {
  let q = db.selectFrom("data_job_result as r").leftJoin("data_job_row as s", (j) => j.onRef("s.data_job_id", "=", "r.data_job_id").onRef("s.row_number", "=", "r.row_number")).select(["r.row_number", "r.outcome", "r.reason", "r.person_id", "r.community_id", "s.values"]).where("r.data_job_id", "=", dataJobId).where("r.row_number", ">", options.afterRow);
  if (options.outcome) q = q.where("r.outcome", "=", options.outcome);
  if (options.reason) q = q.where("r.reason", "=", options.reason);
  return q.orderBy("r.row_number").limit(options.limit).execute();
}
async function deleteOpenInvitationsOfJob(db, dataJobId) {
  const r = await db.deleteFrom("membership").where("data_job_id", "=", dataJobId).where("state", "=", "invited").executeTakeFirst();
  return Number(r.numDeletedRows);
}

// src/server/data-tools/limits.ts
var dataToolLimits = {
  /** one record (a CSV row), in characters */
  maxRecordBytes: 64 * 1024,
  maxColumns: 200,
  /** records per staging insert */
  stagingBatch: 1e4,
  /** rows per dry-run batch (it writes nothing, so small batches cost nothing) */
  dryRunBatch: 1e4,
  /** from this many rows the dry run looks its second half up on another thread (where a kind can) */
  dryRunThreadRows: 1e5,
  /** rows in the upload answer's sample */
  sampleRows: 5,
  /** sample rows kept per outcome or reason in the dry run */
  dryRunSamples: 5,
  fileNameChars: 200,
  resultsPageMax: 500
};

// src/server/data-tools/mapping.ts
import crypto7 from "node:crypto";
import { z as z16 } from "zod";
var columnRef = z16.union([z16.number().int().min(1), z16.string().trim().min(1).max(200)]);
var mappingInputSchema = z16.object({
  keyColumn: columnRef.nullish(),
  keyType: z16.enum(keyTypes).default("unique_id"),
  communityColumn: columnRef.nullish(),
  firstNameColumn: columnRef.nullish(),
  lastNameColumn: columnRef.nullish(),
  emailColumn: columnRef.nullish(),
  memberTypeColumn: columnRef.nullish()
});
var fieldNames = ["keyColumn", "communityColumn", "firstNameColumn", "lastNameColumn", "emailColumn", "memberTypeColumn"];
function norm(name2) {
  return name2.toLowerCase().replace(/[^a-z0-9]/g, "");
}
function resolveColumn(columns, ref, field) {
  if (typeof ref === "number" || /^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n >= 1 && n <= columns.length) return n;
  } else {
    const wanted = ref.trim().toLowerCase();
    const i = columns.findIndex((c) => c.trim().toLowerCase() === wanted);
    if (i >= 0) return i + 1;
  }
  throw new AppError("mapping_invalid", `${field}: the file has no column "${ref}".`, { field });
}
function resolveMapping(type, columns, input) {
  const pick = (field) => {
    const ref = input[field];
    return ref === void 0 || ref === null ? void 0 : resolveColumn(columns, ref, field);
  };
  const require2 = (field, what) => {
    const v = pick(field);
    if (v === void 0) throw new AppError("mapping_invalid", `${field}: choose the ${what} column.`, { field });
    return v;
  };
  if (type === "invite_to_community") {
    return { keyColumn: require2("keyColumn", "person ID (key field)"), keyType: input.keyType, communityColumn: require2("communityColumn", "Community ID") };
  }
  if (type === "preverify") {
    const keyColumn2 = pick("keyColumn") ?? null;
    const emailColumn = pick("emailColumn");
    if (keyColumn2 === null && emailColumn === void 0) {
      throw new AppError("mapping_invalid", "keyColumn: choose the Unique ID column, the Email column, or both.", { field: "keyColumn" });
    }
    if (input.keyType !== "unique_id") throw new AppError("mapping_invalid", "keyType: a pre-verify file is keyed by Unique ID.", { field: "keyType" });
    return {
      keyColumn: keyColumn2,
      keyType: "unique_id",
      emailColumn,
      firstNameColumn: require2("firstNameColumn", "First Name"),
      lastNameColumn: require2("lastNameColumn", "Last Name"),
      memberTypeColumn: pick("memberTypeColumn")
    };
  }
  return { keyColumn: require2("keyColumn", "Unique ID (key field)"), keyType: input.keyType };
}
var patterns = {
  community: ["communityid", "community", "communityno", "communitynumber", "groupid"],
  unique_id: ["uniqueid", "studentid", "alumniid", "constituentid", "externalid", "sisid", "crmid", "institutionid", "uid"],
  preverification_id: ["preverificationid", "preverifiedid", "preverifyid"],
  profile_id: ["profileid", "personid", "memberid", "userid"],
  first: ["firstname", "first", "givenname", "forename"],
  last: ["lastname", "last", "surname", "familyname"],
  email: ["email", "emailaddress", "mail", "emailid"],
  memberType: ["membertype", "type", "affiliation", "constituency", "role"]
};
function find(columns, key) {
  const wanted = patterns[key];
  const i = columns.findIndex((c) => wanted.includes(norm(c)));
  return i >= 0 ? i + 1 : void 0;
}
function guessMapping(type, columns, hasHeader) {
  const n = columns.length;
  if (!hasHeader) {
    if (type === "invite_to_community") return n >= 2 ? { keyColumn: 2, keyType: "unique_id", communityColumn: 1 } : null;
    if (type === "preverify") return n >= 4 ? { keyColumn: 1, keyType: "unique_id", firstNameColumn: 2, lastNameColumn: 3, emailColumn: 4, memberTypeColumn: n >= 5 ? 5 : void 0 } : null;
    return n >= 1 ? { keyColumn: 1, keyType: "unique_id" } : null;
  }
  const key = ["unique_id", "preverification_id", "profile_id"].map((k) => ({ k, col: find(columns, k) })).find((x) => x.col !== void 0);
  if (type === "invite_to_community") {
    const communityColumn = find(columns, "community");
    if (!key || communityColumn === void 0) return null;
    return { keyColumn: key.col ?? null, keyType: key.k, communityColumn };
  }
  if (type === "preverify") {
    const uid2 = find(columns, "unique_id") ?? null;
    const email = find(columns, "email");
    const first = find(columns, "first");
    const last = find(columns, "last");
    if (uid2 === null && email === void 0 || first === void 0 || last === void 0) return null;
    return { keyColumn: uid2, keyType: "unique_id", firstNameColumn: first, lastNameColumn: last, emailColumn: email, memberTypeColumn: find(columns, "memberType") };
  }
  const uid = find(columns, "unique_id");
  return uid === void 0 ? n === 1 ? { keyColumn: 1, keyType: "unique_id" } : null : { keyColumn: uid, keyType: "unique_id" };
}
function mappingMemoryKey(type, columns) {
  const signature2 = crypto7.createHash("sha256").update(JSON.stringify(columns.map((c) => c.trim().toLowerCase()))).digest("hex").slice(0, 32);
  return `data_tools.mapping.${type}.${signature2}`;
}
function mappingFits(mapping, columns) {
  return fieldNames.every((f) => {
    const v = mapping[f];
    return v === void 0 || v === null || v >= 1 && v <= columns.length;
  });
}

// src/server/data-tools/process.ts
import { sql as sql11 } from "kysely";

// src/server/data-tools/invite.kind.ts
import { CompiledQuery, sql as sql10 } from "kysely";
import path4 from "node:path";

// src/server/data-tools/row-packing.js
function parseId(text) {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
function parseKey(raw, keyType) {
  if (keyType !== "unique_id") return parseId(raw);
  return raw && raw.length <= 200 ? raw : null;
}
function toResolvedRow(r, keyType) {
  const communityId = parseId((r.c_raw ?? "").trim());
  const key = parseKey((r.k_raw ?? "").trim(), keyType);
  return {
    rowNumber: r.rn,
    communityId,
    communityExists: communityId !== null && r.cid === communityId,
    keyValid: key !== null,
    person: key !== null && r.pid !== null && r.pstatus !== null ? { id: r.pid, status: r.pstatus } : null,
    state: r.mstate
  };
}

// src/server/data-tools/job-kind.ts
function cell(values, column) {
  if (column === null || column === void 0) return "";
  return (values[column - 1] ?? "").trim();
}
var skip = (rowNumber, reason, personId = null, communityId = null) => ({ rowNumber, outcome: "skipped", reason, personId, communityId });

// src/server/data-tools/invite-lookup.ts
var personKeyColumn = { unique_id: "unique_id", preverification_id: "preverification_id", profile_id: "id" };
function toResolved(r, mapping) {
  return toResolvedRow(r, mapping.keyType);
}
function sqliteLookupText(mapping, withStates) {
  const ci = (mapping.communityColumn ?? 1) - 1;
  const ki = (mapping.keyColumn ?? 1) - 1;
  const rawKey = `trim(r."values"->>${ki}, ' ' || char(9, 10, 13))`;
  const keyExpr = mapping.keyType === "unique_id" ? rawKey : `CAST(${rawKey} AS INTEGER)`;
  return `SELECT r.row_number AS rn, r."values"->>${ci} AS c_raw, r."values"->>${ki} AS k_raw,
      c.id AS cid, p.id AS pid, p.status AS pstatus, ${withStates ? "m.state" : "NULL"} AS mstate
    FROM data_job_row r
    LEFT JOIN community c ON c.id = CAST(trim(r."values"->>${ci}, ' ' || char(9, 10, 13)) AS INTEGER)
    LEFT JOIN person p ON p.${personKeyColumn[mapping.keyType]} = ${keyExpr}
    ${withStates ? "LEFT JOIN membership m ON m.community_id = c.id AND m.person_id = p.id" : ""}
    WHERE r.data_job_id = ? AND r.row_number BETWEEN ? AND ?
    ORDER BY r.row_number`;
}
var directoryVersionText = "SELECT version FROM directory_version WHERE id = 1";
function packedRowReader(p) {
  const person = { id: 0, status: "active" };
  const row = { rowNumber: 0, communityId: null, communityExists: false, keyValid: false, person: null, state: null };
  return (i) => {
    const communityId = p.communityIds[i] ?? Number.NaN;
    const personId = p.personIds[i] ?? Number.NaN;
    const flags = p.flags[i] ?? 0;
    const state = p.states[i] ?? 0;
    const status = personStatuses[p.statuses[i] ?? 255];
    if (!Number.isNaN(personId) && status === void 0) throw new Error(`Row ${p.rowNumbers[i]}: a person status this code does not know.`);
    row.rowNumber = p.rowNumbers[i] ?? 0;
    row.communityId = Number.isNaN(communityId) ? null : communityId;
    row.communityExists = (flags & 1) !== 0;
    row.keyValid = (flags & 2) !== 0;
    if (Number.isNaN(personId) || status === void 0) row.person = null;
    else {
      person.id = personId;
      person.status = status;
      row.person = person;
    }
    row.state = state === 0 ? null : membershipStates[state - 1] ?? null;
    return row;
  };
}

// src/server/data-tools/start-lookup-thread.ts
import { Worker } from "node:worker_threads";
var lookupThreadLimits = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };
var LookupThread = class {
  worker;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each request knows its answer's type
  waiting = /* @__PURE__ */ new Map();
  nextId = 1;
  failure = null;
  constructor(file) {
    this.worker = new Worker(new URL("./lookup-thread.js", import.meta.url), {
      workerData: { file, versionSql: directoryVersionText, personStatuses, membershipStates },
      execArgv: [],
      resourceLimits: lookupThreadLimits
    });
    this.worker.on("message", (answer) => {
      const w = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if ("error" in answer) w?.reject(new Error(`The look-up thread failed: ${answer.error}`));
      else if ("checkpointed" in answer) w?.resolve(answer.checkpointed);
      else w?.resolve({ rows: answer.rows, version: answer.version });
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`The look-up thread stopped (exit code ${code}).`)));
  }
  /** Looks rows from..to up on the thread (answers are in request order). */
  lookUp(request) {
    return this.ask({ dataJobId: request.dataJobId, keyType: request.mapping.keyType, sql: sqliteLookupText(request.mapping, request.withStates), from: request.from, to: request.to });
  }
  /** Checkpoints the WAL (PASSIVE: never waits for the writer); answers the frames copied. */
  checkpoint() {
    return this.ask({ checkpoint: true });
  }
  ask(message) {
    if (this.failure) return Promise.reject(this.failure);
    const id3 = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id3, { resolve, reject });
      this.worker.postMessage({ ...message, id: id3 });
    });
  }
  /** Ends the thread after the request it is answering (requests still waiting are refused). */
  async close() {
    if (this.failure) return;
    this.fail(new Error("The look-up thread was closed."));
    const exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage("close");
    const timer = setTimeout(() => void this.worker.terminate(), 5e3);
    await exited;
    clearTimeout(timer);
  }
  fail(error) {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
};

// src/server/data-tools/key-set.ts
var KeySet = class {
  table;
  count = 0;
  others = /* @__PURE__ */ new Set();
  /**
   * `expected`: how many keys it will likely hold (a job's row count). Sized for them at once,
   * the table never grows; growing leaves each smaller table as garbage, and a million-row job's
   * tables add up to 16 MB of it.
   */
  constructor(expected = 0) {
    let length = 1 << 12;
    while (expected * 2 > length) length *= 2;
    this.table = new Float64Array(length).fill(Number.NaN);
  }
  get size() {
    return this.count + this.others.size;
  }
  has(key) {
    if (typeof key !== "number" || !Number.isSafeInteger(key) || key < 0) return this.others.has(key);
    return this.table[this.slot(this.table, key)] === key;
  }
  add(key) {
    if (typeof key !== "number" || !Number.isSafeInteger(key) || key < 0) {
      this.others.add(key);
      return;
    }
    const i = this.slot(this.table, key);
    if (this.table[i] === key) return;
    this.table[i] = key;
    if (++this.count * 2 > this.table.length) this.grow();
  }
  slot(table, key) {
    const mask = table.length - 1;
    let h = Math.imul(key % 4294967296 ^ Math.floor(key / 4294967296), 2654435761) >>> 0;
    h = (h ^ h >>> 15) & mask;
    while (!Number.isNaN(table[h]) && table[h] !== key) h = h + 1 & mask;
    return h;
  }
  grow() {
    const old = this.table;
    const next = new Float64Array(old.length * 2).fill(Number.NaN);
    for (const key of old) if (!Number.isNaN(key)) next[this.slot(next, key)] = key;
    this.table = next;
  }
};

// src/server/data-tools/invite.kind.ts
var lookupSlice = 1e4;
var settleEvery = 25e3;
function pairKey(communityId, personId) {
  return communityId < 2 ** 20 && personId < 2 ** 32 ? communityId * 2 ** 32 + personId : `${communityId}:${personId}`;
}
async function resolveInSqlite(db, dataJobId, mapping, from, to, withStates) {
  const rows = await db.executeQuery(CompiledQuery.raw(sqliteLookupText(mapping, withStates), [dataJobId, from, to]));
  return rows.rows.map((r) => toResolved(r, mapping));
}
async function resolveInPostgres(db, dataJobId, mapping, from, to, withStates) {
  if (!db.isTransaction) return db.transaction().execute((trx) => resolveInPostgres(trx, dataJobId, mapping, from, to, withStates));
  const ci = (mapping.communityColumn ?? 1) - 1;
  const ki = (mapping.keyColumn ?? 1) - 1;
  const trimmed = (raw) => `btrim(${raw}, E' \\t\\n\\r')`;
  const asId = (raw) => `CASE WHEN ${trimmed(raw)} ~ '^[0-9]{1,15}$' THEN ${trimmed(raw)}::bigint END`;
  const keyExpr = mapping.keyType === "unique_id" ? trimmed("s.k_raw") : asId("s.k_raw");
  await sql10`SET LOCAL enable_hashjoin = off`.execute(db);
  await sql10`SET LOCAL enable_mergejoin = off`.execute(db);
  const rows = await sql10`
    SELECT s.rn, s.c_raw, s.k_raw, c.id AS cid, p.id AS pid, p.status AS pstatus, ${sql10.raw(withStates ? "m.state" : "NULL::text")} AS mstate
    FROM (SELECT r.row_number AS rn, (r."values"::json)->>${sql10.raw(String(ci))} AS c_raw, (r."values"::json)->>${sql10.raw(String(ki))} AS k_raw
      FROM data_job_row r WHERE r.data_job_id = ${dataJobId} AND r.row_number BETWEEN ${from} AND ${to}) s
    LEFT JOIN community c ON c.id = ${sql10.raw(asId("s.c_raw"))}
    LEFT JOIN person p ON p.${sql10.raw(personKeyColumn[mapping.keyType])} = ${sql10.raw(keyExpr)}
    ${sql10.raw(withStates ? "LEFT JOIN membership m ON m.community_id = c.id AND m.person_id = p.id" : "")}
    ORDER BY s.rn`.execute(db);
  await sql10`SET LOCAL enable_hashjoin = on`.execute(db);
  await sql10`SET LOCAL enable_mergejoin = on`.execute(db);
  return rows.rows.map((r) => toResolved(r, mapping));
}
function sqliteFileOf(ctx) {
  if (ctx.dialect !== "sqlite") return null;
  const file = sqlitePathOfUrl(ctx.config.databaseUrl);
  return file === ":memory:" || file === "" ? null : path4.resolve(file);
}
var InviteLookAhead = class {
  constructor(ctx, job, mapping, thread) {
    this.ctx = ctx;
    this.job = job;
    this.mapping = mapping;
    this.thread = thread;
  }
  ctx;
  job;
  mapping;
  thread;
  closed = false;
  /** batches that used what was looked up ahead, and batches that had to look up again (the site changed, or the look-up failed) */
  used = 0;
  refused = 0;
  pending = null;
  prefetch(from, to) {
    const { ctx, job, mapping } = this;
    const answer = this.thread ? this.thread.lookUp({ dataJobId: job.id, mapping, from, to, withStates: false }) : resolveInPostgresRange(ctx.db, job.id, mapping, from, to);
    this.pending = {
      from,
      to,
      answer: answer.catch((error) => {
        if (!this.closed) ctx.log.warn({ err: error, dataJobId: job.id, from, to }, "data job: looking the next batch up ahead failed; the batch looks its rows up itself");
        return null;
      })
    };
  }
  /** Resolves once the range asked for last has been looked up (or failed). */
  async whenLookedUp() {
    await this.pending?.answer;
  }
  /** What was looked up ahead for exactly from..to, if it still holds in `db` (the batch's transaction). */
  async take(db, from, to) {
    const pending = this.pending;
    this.pending = null;
    if (!pending || pending.from !== from || pending.to !== to) return null;
    const looked = await this.check(db, from, to, await pending.answer);
    if (looked) this.used++;
    else this.refused++;
    return looked;
  }
  async check(db, from, to, answer) {
    if (!answer || typeof answer === "function") return answer;
    const { rows, version } = answer;
    if (rows.count !== to - from + 1) return null;
    const now = (await db.executeQuery(CompiledQuery.raw(directoryVersionText))).rows[0]?.version;
    if (now !== version) {
      this.ctx.log.info({ dataJobId: this.job.id, from, to }, "data job: the site changed since the next batch was looked up; looking it up again");
      return null;
    }
    const read = packedRowReader(rows);
    return (a, b, each) => {
      for (let i = a - from; i <= b - from; i++) each(read(i));
    };
  }
  /** SQLite: the WAL is checkpointed on the thread, off the writer's path (see walCheckpoints). */
  afterCommit() {
    this.thread?.checkpoint().catch(() => {
    });
  }
  async close() {
    this.closed = true;
    this.pending = null;
    this.ctx.log.debug({ dataJobId: this.job.id, used: this.used, refused: this.refused }, "data job: batches looked up ahead");
    await this.thread?.close();
    if (this.thread) await walCheckpoints.release(this.ctx.db);
  }
};
var walCheckpoints = {
  holders: 0,
  async hold(db) {
    if (this.holders++ === 0) await sql10`PRAGMA wal_autocheckpoint = 0`.execute(db);
  },
  async release(db) {
    if (--this.holders === 0) await sql10`PRAGMA wal_autocheckpoint = 1000`.execute(db);
  }
};
async function resolveInPostgresRange(db, dataJobId, mapping, from, to) {
  const rows = [];
  for (let a = from; a <= to; a += lookupSlice) rows.push(...await resolveInPostgres(db, dataJobId, mapping, a, Math.min(to, a + lookupSlice - 1), false));
  if (rows.length !== to - from + 1) throw new Error(`Staged rows ${from}\u2013${to} are missing.`);
  return (a, b, each) => {
    for (let i = a - from; i <= b - from; i++) each(rows[i]);
  };
}
async function findMemberships2(db, personIds) {
  const states = /* @__PURE__ */ new Map();
  if (!personIds.length) return states;
  const rows = await db.selectFrom("membership").select(["community_id", "person_id", "state"]).where(inJsonList(db, "membership.person_id", personIds, "int")).execute();
  for (const r of rows) states.set(pairKey(r.community_id, r.person_id), r.state);
  return states;
}
var membershipColumns = [
  { name: "community_id", type: "int" },
  { name: "person_id", type: "int" },
  { name: "email_status", type: "text" }
];
var upsert = `ON CONFLICT (community_id, person_id) DO UPDATE SET state = 'invited', source = 'data_job',
  invited_by = excluded.invited_by, invited_at = excluded.invited_at, data_job_id = excluded.data_job_id,
  email_status = excluded.email_status, message = NULL, email_outbox_id = NULL, emailed_at = NULL, updated_at = excluded.updated_at
  WHERE membership.state IN ('dismissed', 'left', 'removed', 'requested')
  RETURNING community_id, person_id`;
async function invitationConstants(db, job, now) {
  const inviter = await db.selectFrom("person").select("id").where("id", "=", job.created_by).executeTakeFirst();
  return [
    { name: "state", type: "text", value: "invited" },
    { name: "role", type: "text", value: "member" },
    { name: "source", type: "text", value: "data_job" },
    { name: "invited_by", type: "int", value: inviter?.id ?? null },
    { name: "invited_at", type: "bigint", value: now },
    { name: "data_job_id", type: "int", value: job.id },
    { name: "created_at", type: "bigint", value: now },
    { name: "updated_at", type: "bigint", value: now }
  ];
}
var CandidateColumns = class {
  count = 0;
  rowNumbers;
  personIds;
  communityIds;
  preVerified;
  constructor(capacity) {
    this.rowNumbers = new Float64Array(capacity);
    this.personIds = new Float64Array(capacity);
    this.communityIds = new Float64Array(capacity);
    this.preVerified = new Uint8Array(capacity);
  }
  push(c) {
    const i = this.count++;
    this.rowNumbers[i] = c.rowNumber;
    this.personIds[i] = c.personId;
    this.communityIds[i] = c.communityId;
    this.preVerified[i] = c.preVerified ? 1 : 0;
  }
};
async function writeInvitationColumns(db, cols, constants) {
  if (!cols.count) return [];
  const order = new Uint32Array(cols.count);
  for (let i = 0; i < cols.count; i++) order[i] = i;
  const { personIds: p, communityIds: c } = cols;
  order.sort((x, y) => p[x] - p[y] || c[x] - c[y]);
  const written = new KeySet();
  await insertRows(db, "membership", membershipColumns, order, {
    toRow: (i) => [c[i], p[i], cols.preVerified[i] ? "pre_verified" : "not_sent"],
    tail: upsert,
    constants,
    onReturned: (rows) => {
      for (const r of rows) written.add(pairKey(r.community_id, r.person_id));
    }
  });
  const rest = [];
  for (let i = 0; i < cols.count; i++) if (!written.has(pairKey(c[i], p[i]))) rest.push(i);
  if (!rest.length) return [];
  const states = await findMemberships2(db, [...new Set(rest.map((i) => p[i]))]);
  return rest.map((i) => ({
    rowNumber: cols.rowNumbers[i],
    from: "invited",
    to: states.get(pairKey(c[i], p[i])) === "joined" ? "already_member" : "already_invited"
  }));
}
function decideRow(r, seen, apply) {
  if (r.communityId === null || !r.keyValid) return skip(r.rowNumber, "invalid_id");
  if (!r.communityExists) return skip(r.rowNumber, "unknown_community");
  const person = r.person;
  if (!person) return skip(r.rowNumber, "unknown_person", null, r.communityId);
  const pair = pairKey(r.communityId, person.id);
  if (seen.has(pair)) return skip(r.rowNumber, "duplicate_row", person.id, r.communityId);
  seen.add(pair);
  if (person.status === "inactive") return skip(r.rowNumber, "person_inactive", person.id, r.communityId);
  if (person.status === "pending") return skip(r.rowNumber, "person_pending", person.id, r.communityId);
  if (apply) return { rowNumber: r.rowNumber, outcome: "invited", reason: null, communityId: r.communityId, personId: person.id, preVerified: person.status === "pre_verified" };
  const outcome = r.state === "joined" ? "already_member" : r.state === "invited" ? "already_invited" : "invited";
  return { rowNumber: r.rowNumber, outcome, reason: null, personId: person.id, communityId: r.communityId };
}
var inviteKind = {
  // Large batches: each commit rewrites the index pages it touched, and a batch of random people
  // touches most of the membership indexes' pages, so fewer, larger commits write far less.
  // On SQLite larger still: a commit there writes every touched page whole, twice (WAL, then
  // checkpoint). A batch holds at most 25,000 rows' objects at a time (settle), so its size costs
  // no memory; it costs the other requests' wait for SQLite's one writer (about 2 s a batch here).
  batchSize: 5e4,
  sqliteBatchSize: 1e5,
  outcomes: ["invited", "already_invited", "already_member", "skipped"],
  reasons: ["invalid_id", "unknown_community", "unknown_person", "duplicate_row", "person_inactive", "person_pending"],
  writesOnlyCheckedReferences: true,
  async runBatch(db, { job, mapping, from, to, seen, apply, now, settle, amend, ahead, next }) {
    let outcomes = [];
    const settling = settle && amend ? { settle, amend } : null;
    const batch = apply ? new CandidateColumns(to - from + 1) : null;
    const decide = (r) => {
      const outcome = decideRow(r, seen, apply);
      if ("preVerified" in outcome) batch?.push(outcome);
      outcomes.push(outcome);
    };
    const constants = apply ? await invitationConstants(db, job, now) : [];
    const lookAhead = apply && ahead instanceof InviteLookAhead ? ahead : null;
    const early = await lookAhead?.take(db, from, to) ?? null;
    if (lookAhead && next) lookAhead.prefetch(next.from, next.to);
    const slices = [];
    for (let a = from; a <= to; a += lookupSlice) slices.push([a, Math.min(to, a + lookupSlice - 1)]);
    const postgres = isPostgres(db);
    const together = postgres && !db.isTransaction ? 2 : 1;
    for (let i = 0; i < slices.length; i += together) {
      if (early) for (const [a, b] of slices.slice(i, i + together)) early(a, b, decide);
      else {
        const looked = await Promise.all(slices.slice(i, i + together).map(([a, b]) => postgres ? resolveInPostgres(db, job.id, mapping, a, b, !apply) : resolveInSqlite(db, job.id, mapping, a, b, !apply)));
        for (const resolved of looked) for (const r of resolved) decide(r);
      }
      if (settling && (outcomes.length >= settleEvery || i + together >= slices.length)) {
        await settling.settle(outcomes);
        outcomes = [];
      }
    }
    if (!batch) return outcomes;
    const corrections = await writeInvitationColumns(db, batch, constants);
    if (settling) await settling.amend(corrections);
    else for (const c of corrections) outcomes[c.rowNumber - from].outcome = c.to;
    return outcomes;
  },
  async lookAhead(ctx, job, mapping, from, to) {
    const file = sqliteFileOf(ctx);
    if (!file) return null;
    const thread = new LookupThread(file);
    const packed = await thread.lookUp({ dataJobId: job.id, mapping, from, to, withStates: true }).then((r) => r.rows).finally(() => thread.close());
    if (packed.count !== to - from + 1) throw new Error(`Staged rows ${from}\u2013${to} are missing.`);
    const read = packedRowReader(packed);
    return (seen, onOutcomes) => {
      for (let a = 0; a < packed.count; a += lookupSlice) {
        const outcomes = [];
        for (let i = a; i < Math.min(packed.count, a + lookupSlice); i++) outcomes.push(decideRow(read(i), seen, false));
        onOutcomes(outcomes);
      }
    };
  },
  async openLookAhead(ctx, db, job, mapping) {
    if (ctx.dialect === "postgres") return new InviteLookAhead(ctx, job, mapping, null);
    const file = sqliteFileOf(ctx);
    if (!file) return null;
    await walCheckpoints.hold(db);
    return new InviteLookAhead(ctx, job, mapping, new LookupThread(file));
  },
  async rebuildSeen(db, dataJobId, upToRow, expectedKeys) {
    const seen = new KeySet(expectedKeys);
    for (const r of await readResultKeys(db, dataJobId, upToRow)) {
      if (r.person_id !== null && r.community_id !== null) seen.add(pairKey(r.community_id, r.person_id));
    }
    return seen;
  }
};

// src/server/data-tools/person-status.kind.ts
var keyColumn = { unique_id: "unique_id", preverification_id: "preverification_id", profile_id: "id" };
function reasonOf(outcome) {
  if (outcome.code === "invalid_status_transition") return "person_pending";
  if (outcome.code === "last_admin") return "last_admin";
  return "unknown_person";
}
function statusKind(direction) {
  const done = direction === "deactivate" ? "deactivated" : "reactivated";
  const unchanged = direction === "deactivate" ? "already_inactive" : "already_active";
  return {
    batchSize: 1e3,
    outcomes: [done, unchanged, "skipped"],
    reasons: ["invalid_id", "unknown_person", "duplicate_row", "person_pending", ...direction === "deactivate" ? ["last_admin"] : []],
    async runBatch(db, { ctx, job, mapping, loadRows, seen, apply }) {
      const numeric = mapping.keyType !== "unique_id";
      const rows = await loadRows();
      const parsed = rows.map((r) => {
        const raw = cell(r.values, mapping.keyColumn);
        return { rowNumber: r.rowNumber, key: numeric ? parseId(raw) : raw && raw.length <= 200 ? raw : null };
      });
      const keys = [...new Set(parsed.flatMap((p) => p.key === null ? [] : [p.key]))];
      const column = keyColumn[mapping.keyType];
      const people = keys.length ? await db.selectFrom("person").select(["id", "status", "is_admin", `${column} as key`]).where(inJsonList(db, `person.${column}`, keys, numeric ? "int" : "text")).execute() : [];
      const byKey = new Map(people.map((p) => [String(p.key), p]));
      const actor = { id: job.created_by };
      const outcomes = [];
      for (const p of parsed) {
        if (p.key === null) {
          outcomes.push(skip(p.rowNumber, "invalid_id"));
          continue;
        }
        const person = byKey.get(String(p.key));
        if (!person) {
          outcomes.push(skip(p.rowNumber, "unknown_person"));
          continue;
        }
        if (seen.has(person.id)) {
          outcomes.push(skip(p.rowNumber, "duplicate_row", person.id));
          continue;
        }
        seen.add(person.id);
        if (!apply) {
          const isDone = direction === "deactivate" ? person.status === "inactive" : person.status !== "inactive";
          if (person.status === "pending") outcomes.push(skip(p.rowNumber, "person_pending", person.id));
          else outcomes.push({ rowNumber: p.rowNumber, outcome: isDone ? unchanged : done, reason: null, personId: person.id, communityId: null });
          continue;
        }
        const result = direction === "deactivate" ? await deactivatePersonInTrx(ctx, db, actor, person.id) : await reactivatePersonInTrx(ctx, db, actor, person.id);
        if (!result.ok) outcomes.push(skip(p.rowNumber, reasonOf(result), person.id));
        else outcomes.push({ rowNumber: p.rowNumber, outcome: result.changed ? done : unchanged, reason: null, personId: person.id, communityId: null });
      }
      return outcomes;
    },
    async rebuildSeen(db, dataJobId, upToRow, expectedKeys) {
      const seen = new KeySet(expectedKeys);
      for (const r of await readResultKeys(db, dataJobId, upToRow)) if (r.person_id !== null) seen.add(r.person_id);
      return seen;
    }
  };
}
var deactivateKind = statusKind("deactivate");
var reactivateKind = statusKind("reactivate");

// src/server/data-tools/preverify.kind.ts
async function findBy(db, column, values) {
  if (!values.length) return /* @__PURE__ */ new Map();
  const rows = await db.selectFrom("person").select(["id", "unique_id", "email"]).where(inJsonList(db, `person.${column}`, values, "text")).execute();
  return new Map(rows.map((r) => [String(r[column]), r]));
}
var preverifyKind = {
  batchSize: 2e3,
  outcomes: ["created", "updated", "skipped"],
  reasons: ["missing_id_and_email", "invalid_id", "invalid_email", "name_too_long", "unknown_member_type", "duplicate_row", "email_taken"],
  async runBatch(db, { ctx, job, mapping, loadRows, seen, apply, now }) {
    const types = new Map((await db.selectFrom("member_type").select(["id", "name_key"]).execute()).map((t) => [t.name_key, t.id]));
    const rows = await loadRows();
    const parsed = rows.map((r) => ({
      rowNumber: r.rowNumber,
      uid: cell(r.values, mapping.keyColumn) || null,
      email: cell(r.values, mapping.emailColumn).toLowerCase() || null,
      first: cell(r.values, mapping.firstNameColumn),
      last: cell(r.values, mapping.lastNameColumn),
      memberType: cell(r.values, mapping.memberTypeColumn)
    }));
    const byUid = await findBy(db, "unique_id", [...new Set(parsed.flatMap((p) => p.uid ? [p.uid] : []))]);
    const byEmail = await findBy(db, "email", [...new Set(parsed.flatMap((p) => p.email ? [p.email] : []))]);
    const outcomes = [];
    const creates = [];
    for (const p of parsed) {
      if (!p.uid && !p.email) {
        outcomes.push(skip(p.rowNumber, "missing_id_and_email"));
        continue;
      }
      if (p.uid && p.uid.length > 100) {
        outcomes.push(skip(p.rowNumber, "invalid_id"));
        continue;
      }
      if (p.email && (p.email.length > limits.emailChars || !isEmailAddress(p.email))) {
        outcomes.push(skip(p.rowNumber, "invalid_email"));
        continue;
      }
      if (p.first.length > limits.nameChars || p.last.length > limits.nameChars) {
        outcomes.push(skip(p.rowNumber, "name_too_long"));
        continue;
      }
      const memberTypeId = p.memberType ? types.get(p.memberType.toLowerCase()) : null;
      if (memberTypeId === void 0) {
        outcomes.push(skip(p.rowNumber, "unknown_member_type"));
        continue;
      }
      const keys = [p.uid ? `u:${p.uid}` : null, p.email ? `e:${p.email}` : null].filter((k) => k !== null);
      if (keys.some((k) => seen.has(k))) {
        outcomes.push(skip(p.rowNumber, "duplicate_row"));
        continue;
      }
      for (const k of keys) seen.add(k);
      const sameUid = p.uid ? byUid.get(p.uid) : void 0;
      const sameEmail = p.email ? byEmail.get(p.email) : void 0;
      const match = sameUid ?? sameEmail;
      if (sameUid && sameEmail && sameUid.id !== sameEmail.id || !sameUid && sameEmail && p.uid && sameEmail.unique_id !== null) {
        outcomes.push(skip(p.rowNumber, "email_taken", (sameUid ?? sameEmail)?.id ?? null));
        continue;
      }
      if (match) {
        outcomes.push({ rowNumber: p.rowNumber, outcome: "updated", reason: null, personId: match.id, communityId: null });
        if (apply) {
          await db.updateTable("person").set({
            ...p.first || p.last ? { first_name: p.first, last_name: p.last, ...nameKeys(p.first, p.last) } : {},
            ...p.email ? { email: p.email } : {},
            ...p.uid && match.unique_id === null ? { unique_id: p.uid } : {},
            ...memberTypeId !== null ? { member_type_id: memberTypeId } : {},
            updated_at: now
          }).where("id", "=", match.id).execute();
        }
        continue;
      }
      creates.push({ index: outcomes.length, row: p, memberTypeId });
      outcomes.push({ rowNumber: p.rowNumber, outcome: "created", reason: null, personId: null, communityId: null });
    }
    if (apply && creates.length) {
      const firstId = await reservePreverificationIds(db, creates.length);
      for (const [i, c] of creates.entries()) {
        const result = await preverifyPersonInTrx(ctx, db, { id: job.created_by }, {
          uniqueId: c.row.uid ?? void 0,
          email: c.row.email ?? void 0,
          firstName: c.row.first,
          lastName: c.row.last,
          memberType: c.row.memberType || void 0
        }, firstId + i);
        outcomes[c.index] = result.ok ? { ...outcomes[c.index], personId: result.person.id } : skip(c.row.rowNumber, result.code === "email_taken" ? "email_taken" : result.code === "unknown_member_type" ? "unknown_member_type" : "duplicate_row");
      }
    }
    return outcomes;
  },
  async rebuildSeen(db, dataJobId, upToRow) {
    const rows = await db.selectFrom("data_job_result as r").innerJoin("person as p", "p.id", "r.person_id").select(["p.unique_id", "p.email"]).where("r.data_job_id", "=", dataJobId).where("r.row_number", "<=", upToRow).where("r.outcome", "in", ["created", "updated"]).execute();
    const seen = new KeySet();
    for (const r of rows) {
      if (r.unique_id) seen.add(`u:${r.unique_id}`);
      if (r.email) seen.add(`e:${r.email}`);
    }
    return seen;
  }
};

// src/server/data-tools/kinds.ts
var jobKinds = {
  invite_to_community: inviteKind,
  preverify: preverifyKind,
  deactivate: deactivateKind,
  reactivate: reactivateKind
};

// src/server/data-tools/process.ts
function firstDataRow(job) {
  return job.has_header ? 2 : 1;
}
function yieldToEventLoop() {
  return new Promise((resolve) => setImmediate(resolve));
}
var dataJobMaxAttempts = 20;
async function computeDryRun(ctx, job, mapping) {
  const kind = jobKinds[job.type];
  const seen = new KeySet(job.row_count);
  const counters = emptyCounters();
  const samples = {};
  const first = firstDataRow(job);
  const end = first + job.row_count;
  const now = ctx.clock.now();
  const sampleRows2 = [];
  const take = (outcomes) => {
    addOutcomes(counters, outcomes);
    for (const o of outcomes) {
      const key = o.reason ?? o.outcome;
      const list = samples[key] ??= [];
      if (list.length < dataToolLimits.dryRunSamples) {
        list.push({ rowNumber: o.rowNumber, values: [] });
        sampleRows2.push({ key, rowNumber: o.rowNumber });
      }
    }
  };
  const middle = job.row_count >= dataToolLimits.dryRunThreadRows ? first + Math.floor(job.row_count / 2) : end;
  const ahead = middle < end ? kind.lookAhead?.(ctx, job, mapping, middle, end - 1) : void 0;
  ahead?.catch(() => {
  });
  const batchSize = Math.min(kind.batchSize, dataToolLimits.dryRunBatch * (isPostgres(ctx.db) ? 4 : 1));
  const decideHere = async (start, stop) => {
    for (let from = start; from < stop; from += batchSize) {
      const to = Math.min(stop, from + batchSize) - 1;
      take(await kind.runBatch(ctx.db, { ctx, job, mapping, from, to, loadRows: () => readStagedRows(ctx.db, job.id, from, to), seen, apply: false, now }));
      await yieldToEventLoop();
    }
  };
  await decideHere(first, middle);
  if (middle < end) {
    const decideAhead = await ahead?.catch((error) => {
      ctx.log.warn({ err: error, dataJobId: job.id }, "dry run: the look-up thread failed; looking up in the main thread");
      return null;
    });
    if (decideAhead) decideAhead(seen, take);
    else await decideHere(middle, end);
  }
  const values = new Map((await readStagedRowsByNumber(ctx.db, job.id, sampleRows2.map((s) => s.rowNumber))).map((r) => [r.rowNumber, r.values]));
  for (const list of Object.values(samples)) for (const s of list) s.values = values.get(s.rowNumber) ?? [];
  return { total: job.row_count, ...counters, samples, computedAt: now };
}

// src/server/data-tools/data-job.service.ts
async function getDataJob(ctx, id3) {
  const job = await findDataJob(ctx.db, id3);
  if (!job) throw new AppError("not_found", "Data job not found.");
  return job;
}
function jobColumns(job) {
  return JSON.parse(job.columns);
}
async function suggestMapping(ctx, job) {
  const columns = jobColumns(job);
  if (job.has_header) {
    const saved = await ctx.db.selectFrom("site_setting").select("value").where("key", "=", mappingMemoryKey(job.type, columns)).executeTakeFirst();
    if (saved) {
      const mapping = JSON.parse(saved.value);
      if (mappingFits(mapping, columns)) return { mapping, remembered: true };
    }
  }
  return { mapping: guessMapping(job.type, columns, job.has_header === 1), remembered: false };
}
async function sampleRows(ctx, job) {
  const first = firstDataRow(job);
  return readStagedRows(ctx.db, job.id, first, first + dataToolLimits.sampleRows - 1);
}
async function mapDataJob(ctx, id3, input) {
  const job = await getDataJob(ctx, id3);
  if (job.status !== "uploaded" && job.status !== "mapped") throw new AppError("job_state", `The job is ${job.status}; its mapping can no longer change.`);
  const mapping = resolveMapping(job.type, jobColumns(job), input);
  const dryRun = await computeDryRun(ctx, job, mapping);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await transitionDataJob(trx, id3, ["uploaded", "mapped"], {
      status: "mapped",
      mapping: JSON.stringify(mapping),
      dry_run: JSON.stringify(dryRun),
      updated_at: now
    });
    if (!moved) throw new AppError("job_state", "The job was started or canceled meanwhile.");
    if (job.has_header) {
      const key = mappingMemoryKey(job.type, jobColumns(job));
      await trx.insertInto("site_setting").values({ key, value: JSON.stringify(mapping), updated_at: now }).onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(mapping), updated_at: now })).execute();
    }
  });
  return getDataJob(ctx, id3);
}
async function startDataJob(ctx, id3) {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id3);
    if (!job) throw new AppError("not_found", "Data job not found.");
    if (job.status !== "mapped") throw new AppError("job_state", job.status === "uploaded" ? "Map the fields before starting the job." : `The job is already ${job.status}.`);
    const now = ctx.clock.now();
    await updateDataJob(trx, id3, { status: "queued", updated_at: now });
    await enqueueJob(trx, "data_jobs.process", { dataJobId: id3 }, now, { dedupeKey: `data_job:${id3}`, maxAttempts: dataJobMaxAttempts });
  });
  return getDataJob(ctx, id3);
}
async function cancelDataJob(ctx, id3) {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id3);
    if (!job) throw new AppError("not_found", "Data job not found.");
    const now = ctx.clock.now();
    if (job.status === "uploaded" || job.status === "mapped" || job.status === "queued") {
      await updateDataJob(trx, id3, { status: "canceled", cancel_requested: 1, finished_at: now, updated_at: now });
    } else if (job.status === "running") {
      await updateDataJob(trx, id3, { cancel_requested: 1, updated_at: now });
    } else {
      throw new AppError("job_state", `The job is already ${job.status}.`);
    }
  });
  return getDataJob(ctx, id3);
}
async function undoDataJob(ctx, id3) {
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id3);
    if (!job) throw new AppError("not_found", "Data job not found.");
    if (job.type !== "invite_to_community") throw new AppError("job_state", "Only invite jobs can be undone.");
    if (!["completed", "canceled", "failed"].includes(job.status)) throw new AppError("job_state", `The job is ${job.status}; undo once it has stopped.`);
    const n = await deleteOpenInvitationsOfJob(trx, id3);
    const counters = parseCounters(job.counters);
    counters.revoked = (counters.revoked ?? 0) + n;
    await updateDataJob(trx, id3, { counters: JSON.stringify(counters), updated_at: ctx.clock.now() });
    return n;
  });
  return { job: await getDataJob(ctx, id3), revoked };
}
async function listJobs(ctx, cursor, limit) {
  const m = cursor ? /^(\d+)\.(\d+)$/.exec(cursor) : null;
  const rows = await listDataJobs(ctx.db, { before: m ? { at: Number(m[1]), id: Number(m[2]) } : void 0, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.created_at}.${last.id}` : null };
}
async function jobResults(ctx, id3, options) {
  await getDataJob(ctx, id3);
  const afterRow = options.cursor && /^\d+$/.test(options.cursor) ? Number(options.cursor) : 0;
  const rows = await listResults(ctx.db, id3, { outcome: options.outcome, reason: options.reason, afterRow, limit: options.limit + 1 });
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? String(last.row_number) : null };
}
async function creatorOf(ctx, job) {
  return { id: job.created_by, name: await creatorName(ctx.db, job.created_by) };
}

// src/server/data-tools/results-csv.ts
import { Readable as Readable2 } from "node:stream";
var formulaStart = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;
function csvCell(value) {
  if (value === null || value === void 0) return "";
  let s = String(value);
  if (typeof value === "string" && formulaStart.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
function csvLine(cells) {
  return `${cells.map(csvCell).join(",")}\r
`;
}
var pageSize = 5e3;
function resultsCsvStream(ctx, job) {
  const columns = JSON.parse(job.columns);
  async function* lines() {
    yield `\uFEFF${csvLine(["Row", ...columns, "Outcome", "Reason"])}`;
    let afterRow = 0;
    for (; ; ) {
      const rows = await listResults(ctx.db, job.id, { afterRow, limit: pageSize });
      if (!rows.length) return;
      let chunk = "";
      for (const r of rows) {
        const values = r.values ? JSON.parse(r.values) : [];
        const padded = columns.map((_, i) => values[i] ?? "");
        chunk += csvLine([r.row_number, ...padded, r.outcome, r.reason ?? ""]);
      }
      yield chunk;
      afterRow = rows[rows.length - 1].row_number;
    }
  }
  return Readable2.from(lines());
}

// src/server/data-tools/samples.ts
var sampleFiles = {
  invite_to_community: "Community ID,Unique ID\r\n1,U0000001\r\n1,U0000002\r\n2,U0000001\r\n",
  preverify: "Unique ID,First Name,Last Name,Email,Member Type\r\nU1000001,Ada,Lovelace,ada.lovelace@example.edu,Alumni\r\nU1000002,Alan,Turing,,Student\r\n,Grace,Hopper,grace.hopper@example.edu,Faculty/Staff\r\n",
  deactivate: "Unique ID\r\nU0000001\r\nU0000002\r\n",
  reactivate: "Unique ID\r\nU0000001\r\nU0000002\r\n"
};

// src/server/data-tools/upload.service.ts
import { z as z17 } from "zod";

// src/server/data-tools/csv-reader.ts
import { isUtf8 } from "node:buffer";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
function csvInvalid(reason, line, message) {
  return new AppError("csv_invalid", message, { line, reason });
}
var binaryByte = new Uint8Array(256);
for (let b = 0; b < 32; b++) if (![9, 10, 11, 12, 13].includes(b)) binaryByte[b] = 1;
function incompleteTail(buf) {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 192) === 128) continue;
    const need = b >= 240 ? 4 : b >= 224 ? 3 : b >= 192 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}
var ByteChecker = class extends Transform {
  constructor(maxBytes) {
    super();
    this.maxBytes = maxBytes;
  }
  maxBytes;
  bytes = 0;
  /** newlines seen before the current chunk */
  lines = 0;
  head = Buffer.alloc(0);
  carry = Buffer.alloc(0);
  /** inside a quoted value at the end of what was read, and the line where it opened */
  inQuotes = false;
  quoteLine = 0;
  lineAt(chunk, offset) {
    let n = this.lines + 1;
    for (let i = chunk.indexOf(10); i !== -1 && i < offset; i = chunk.indexOf(10, i + 1)) n++;
    return n;
  }
  _transform(chunk, _enc, done) {
    try {
      this.check(chunk);
      done(null, chunk);
    } catch (error) {
      done(error);
    }
  }
  check(chunk) {
    if (this.head.length < 4) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, 4)]).subarray(0, 4);
      checkMagic(this.head);
    }
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new AppError("csv_too_large", `The file is larger than the limit of ${formatBytes(this.maxBytes)}.`, { limit: this.maxBytes });
    }
    let line = this.lines + 1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) line++;
      else if (b === 34) {
        this.inQuotes = !this.inQuotes;
        if (this.inQuotes) this.quoteLine = line;
      } else if (binaryByte[b] === 1) {
        const what = b === 0 ? "a NUL byte" : `a control byte (0x${b.toString(16).padStart(2, "0")})`;
        throw csvInvalid("binary", line, `Line ${line} contains ${what}: this looks like a binary file, not a CSV text file.`);
      }
    }
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    const whole = data.subarray(0, data.length - tail);
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole) - this.carry.length;
      const line2 = this.lineAt(chunk, Math.max(0, at));
      throw csvInvalid("not_utf8", line2, `The file is not UTF-8 (line ${line2} has bytes that are not UTF-8 text). Save it as "CSV UTF-8" and upload it again.`);
    }
    this.carry = Buffer.from(data.subarray(data.length - tail));
    this.lines = line - 1;
  }
  _flush(done) {
    if (this.carry.length) {
      const line = this.lines + 1;
      done(csvInvalid("not_utf8", line, `The file is not UTF-8 (it ends in the middle of a character on line ${line}). Save it as "CSV UTF-8" and upload it again.`));
      return;
    }
    done();
  }
};
function checkMagic(head) {
  if (head.length >= 4 && head[0] === 80 && head[1] === 75 && head[2] === 3 && head[3] === 4) {
    throw csvInvalid("xlsx", 0, "This is an Excel workbook (or another ZIP file), not a CSV file. Open it and save it as CSV (CSV UTF-8), then upload that file.");
  }
  if (head.length >= 2 && head[0] === 31 && head[1] === 139) {
    throw csvInvalid("gzip", 0, "This file is gzip-compressed. Uncompress it, save it as CSV, and upload that file.");
  }
  if (head.length >= 2 && (head[0] === 255 && head[1] === 254 || head[0] === 254 && head[1] === 255)) {
    throw csvInvalid("utf16", 1, 'This file is UTF-16 text, not UTF-8. Save it as "CSV UTF-8" and upload it again.');
  }
}
function firstInvalidUtf8(buf) {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 128 ? 1 : (b & 224) === 192 ? 2 : (b & 240) === 224 ? 3 : (b & 248) === 240 ? 4 : 0;
    if (n === 0 || !isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return buf.length;
}
function formatBytes(n) {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}
function mapParseError(error, currentLine, openQuoteLine) {
  const e = error;
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return csvInvalid("unbalanced_quotes", openQuoteLine, `Line ${openQuoteLine}: a quoted value is opened but never closed (unbalanced double quotes).`);
    case "INVALID_OPENING_QUOTE": {
      const line = e.lines ?? currentLine;
      return csvInvalid("invalid_quotes", line, `Line ${line}: a double quote inside a value that is not quoted. Quote the whole value and double the quote inside it ("").`);
    }
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE": {
      const line = e.lines ?? currentLine;
      return csvInvalid("invalid_quotes", line, `Line ${line}: text follows a closing double quote. Quote the whole value and double any quote inside it ("").`);
    }
    case "CSV_MAX_RECORD_SIZE":
      return csvInvalid("record_too_large", currentLine, `Line ${currentLine}: a record is longer than ${dataToolLimits.maxRecordBytes / 1024} KB.`);
    default:
      return error;
  }
}
async function readCsv(source, limits2, hasHeaderHint, onBatch) {
  const checker = new ByteChecker(limits2.maxBytes);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: dataToolLimits.maxRecordBytes });
  let first = null;
  let records = 0;
  let maxColumns = 0;
  let batch = [];
  let batchStart = 2;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    await onBatch(batchStart, rows);
    batchStart += rows.length;
  };
  try {
    await pipeline(source, checker, parser, async (input) => {
      for await (const record of input) {
        const row = records + 2;
        if (record.length > dataToolLimits.maxColumns) {
          throw csvInvalid("too_many_columns", row - 1, `Row ${row - 1} has ${record.length} columns; at most ${dataToolLimits.maxColumns} are accepted.`);
        }
        if (record.length > maxColumns) maxColumns = record.length;
        if (first === null) {
          first = record;
          continue;
        }
        records++;
        if (records + (hasHeaderHint() ? 0 : 1) > limits2.maxRows) {
          throw new AppError("csv_too_many_rows", `The file has more than ${limits2.maxRows.toLocaleString("en")} rows, the limit (row ${row}).`, { limit: limits2.maxRows, line: row });
        }
        batch.push(record);
        if (batch.length >= dataToolLimits.stagingBatch) await flush();
      }
      await flush();
    });
  } catch (error) {
    throw mapParseError(error, parser.info.lines, checker.quoteLine);
  }
  if (first === null) throw csvInvalid("empty", 0, "The file is empty.");
  return { first, records, bytes: checker.bytes, maxColumns };
}

// src/server/data-tools/upload.service.ts
var fieldsSchema = z17.object({
  type: z17.enum(dataJobTypes, { error: "choose the job type: invite_to_community, preverify, deactivate or reactivate" }),
  hasHeader: z17.enum(["true", "false", "1", "0", "on", "yes", "no"], { error: "must be true or false" }).default("true")
});
function cleanFileName(name2) {
  const base = (name2 ?? "").split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, "").trim() ?? "";
  return (base || "upload.csv").slice(0, dataToolLimits.fileNameChars);
}
function readFields(fields) {
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path7 = issue.path.join(".");
    throw new AppError("validation_failed", `${path7}: ${issue.message}`, parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  return { type: parsed.data.type, hasHeader: ["true", "1", "on", "yes"].includes(parsed.data.hasHeader) };
}
var abandonedAfterMs = 60 * 60 * 1e3;
async function uploadDataJob(ctx, actorId, parts) {
  for (const id3 of await findAbandonedUploads(ctx.db, ctx.clock.now() - abandonedAfterMs)) await deleteDataJob(ctx.db, id3);
  const fields = {};
  let jobId;
  let read;
  try {
    for await (const part of parts) {
      if (part.kind === "field") {
        fields[part.name] = part.value;
        continue;
      }
      if (part.name !== "file" || jobId !== void 0) {
        part.stream.resume();
        continue;
      }
      const known = fieldsSchema.partial().safeParse(fields);
      const now = ctx.clock.now();
      const id3 = await insertUploadingDataJob(ctx.db, {
        type: known.success && known.data.type ? known.data.type : "invite_to_community",
        fileName: cleanFileName(part.fileName),
        hasHeader: true,
        createdBy: actorId,
        now
      });
      jobId = id3;
      const hasHeaderHint = () => !["false", "0", "no"].includes(fields.hasHeader ?? "true");
      read = await readCsv(
        part.stream,
        { maxBytes: ctx.config.uploadMaxBytes, maxRows: ctx.config.uploadMaxRows },
        hasHeaderHint,
        (firstRow, records) => ctx.db.transaction().execute(async (trx) => {
          await stageRows(trx, id3, firstRow, records);
          await updateDataJob(trx, id3, { updated_at: ctx.clock.now() });
        })
      );
    }
    if (jobId === void 0 || !read) throw new AppError("validation_failed", "file: attach a CSV file.", [{ path: "file", message: "is required" }]);
    const { type, hasHeader } = readFields(fields);
    const first = read.first ?? [];
    if (hasHeader && read.records === 0) throw csvInvalid("header_only", 2, "The file has a header row but no data rows.");
    if (!hasHeader) {
      if (read.records + 1 > ctx.config.uploadMaxRows) {
        throw new AppError("csv_too_many_rows", `The file has more than ${ctx.config.uploadMaxRows.toLocaleString("en")} rows, the limit.`, { limit: ctx.config.uploadMaxRows, line: 0 });
      }
      await stageRows(ctx.db, jobId, 1, [first]);
    }
    const columns = Array.from({ length: read.maxColumns }, (_, i) => (hasHeader ? first[i]?.trim() : "") || `Column ${i + 1}`);
    await updateDataJob(ctx.db, jobId, {
      uploading: 0,
      type,
      has_header: hasHeader ? 1 : 0,
      columns: JSON.stringify(columns),
      row_count: read.records + (hasHeader ? 0 : 1),
      byte_count: read.bytes,
      updated_at: ctx.clock.now()
    });
    return jobId;
  } catch (error) {
    if (jobId !== void 0) await deleteDataJob(ctx.db, jobId);
    throw error;
  }
}

// src/server/data-tools/data-job.routes.ts
var tags4 = ["data-tools"];
var idParams5 = z18.object({ id: z18.coerce.number().int().positive().max(2 ** 31) });
async function* partsOf(request) {
  for await (const part of request.parts()) {
    if (part.type === "file") yield { kind: "file", name: part.fieldname, fileName: part.filename, stream: part.file };
    else yield { kind: "field", name: part.fieldname, value: String(part.value ?? "") };
  }
}
async function jobView(ctx, job) {
  const [sample, suggestion, createdBy] = await Promise.all([sampleRows(ctx, job), suggestMapping(ctx, job), creatorOf(ctx, job)]);
  return toJob(job, { sample, suggestedMapping: suggestion.mapping, mappingRemembered: suggestion.remembered, createdBy, now: ctx.clock.now() });
}
var dataJobRoutes = async (app2) => {
  const { ctx } = app2;
  await app2.register(multipart, {
    // One byte over the limit lets the CSV reader refuse with its own message.
    limits: { fileSize: ctx.config.uploadMaxBytes + 1, files: 1, fields: 10, fieldSize: 1e3, parts: 12 }
  });
  app2.post("/api/admin/data-jobs", { schema: { tags: tags4, consumes: ["multipart/form-data"] } }, async (request, reply) => {
    const caller = requireAdmin(request);
    if (!request.isMultipart()) throw new AppError("unsupported_media_type", "Send the file as multipart/form-data with the fields type, hasHeader and file.");
    const id3 = await uploadDataJob(ctx, caller.person.id, partsOf(request));
    reply.code(201);
    return jobView(ctx, await getDataJob(ctx, id3));
  });
  app2.get("/api/admin/data-jobs", {
    schema: { tags: tags4, querystring: z18.object({ cursor: z18.string().max(100).optional(), limit: z18.coerce.number().int().min(1).max(200).default(50) }) }
  }, async (request) => {
    requireAdmin(request);
    const page2 = await listJobs(ctx, request.query.cursor, request.query.limit);
    const now = ctx.clock.now();
    return { items: page2.items.map((j) => toJobSummary(j, now)), nextCursor: page2.nextCursor };
  });
  app2.get("/api/admin/data-jobs/samples/:file", { schema: { tags: tags4, params: z18.object({ file: z18.string().max(100) }) } }, async (request, reply) => {
    requireAdmin(request);
    const type = dataJobTypes.find((t) => `${t}.csv` === request.params.file);
    if (!type) throw new AppError("not_found", "No sample file by that name.");
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${type}.csv"`).send(sampleFiles[type]);
  });
  app2.get("/api/admin/data-jobs/:id", { schema: { tags: tags4, params: idParams5 } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await getDataJob(ctx, request.params.id));
  });
  app2.put("/api/admin/data-jobs/:id/mapping", { schema: { tags: tags4, params: idParams5, body: mappingInputSchema } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await mapDataJob(ctx, request.params.id, request.body));
  });
  app2.post("/api/admin/data-jobs/:id/start", { schema: { tags: tags4, params: idParams5 } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await startDataJob(ctx, request.params.id));
  });
  app2.post("/api/admin/data-jobs/:id/cancel", { schema: { tags: tags4, params: idParams5 } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await cancelDataJob(ctx, request.params.id));
  });
  app2.post("/api/admin/data-jobs/:id/undo", { schema: { tags: tags4, params: idParams5 } }, async (request) => {
    requireAdmin(request);
    const { job } = await undoDataJob(ctx, request.params.id);
    return jobView(ctx, job);
  });
  app2.get("/api/admin/data-jobs/:id/results", {
    schema: {
      tags: tags4,
      params: idParams5,
      querystring: z18.object({
        outcome: z18.string().max(50).optional(),
        reason: z18.string().max(50).optional(),
        cursor: z18.string().max(20).optional(),
        limit: z18.coerce.number().int().min(1).max(dataToolLimits.resultsPageMax).default(50)
      })
    }
  }, async (request) => {
    requireAdmin(request);
    const page2 = await jobResults(ctx, request.params.id, request.query);
    return { items: page2.items.map(toResult), nextCursor: page2.nextCursor };
  });
  app2.get("/api/admin/data-jobs/:id/results.csv", { schema: { tags: tags4, params: idParams5 } }, async (request, reply) => {
    requireAdmin(request);
    const job = await getDataJob(ctx, request.params.id);
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="data-job-${job.id}-results.csv"`).send(resultsCsvStream(ctx, job));
  });
};

// src/server/routes.ts
var featureRoutes = [
  emailRoutes,
  authRoutes,
  peopleRoutes,
  communitiesRoutes,
  siteRoutes,
  landingRoutes,
  invitationRoutes,
  dataJobRoutes
];

// src/server/app.ts
var defaultWebRoot = path5.resolve("dist/web");
async function build(ctx, options = {}) {
  const app2 = Fastify({
    logger: loggerOptions(ctx.config),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    frameworkErrors: (error, _request, reply) => sendFrameworkError(error, reply)
  }).withTypeProvider();
  if (options.onRoute) app2.addHook("onRoute", options.onRoute);
  app2.setValidatorCompiler(validatorCompiler);
  app2.setSerializerCompiler(serializerCompiler);
  app2.removeContentTypeParser("text/plain");
  app2.decorate("ctx", ctx);
  await app2.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: isHttps(ctx.config) ? [] : null
      }
    },
    hsts: isHttps(ctx.config) ? { maxAge: 31536e3, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false
  });
  await app2.register(cookie);
  registerErrorHandler(app2);
  registerCsrf(app2);
  registerAuthHook(app2);
  registerInputGuard(app2);
  await app2.register(swagger, {
    openapi: {
      info: { title: "Convene API", version: "0.1.0", description: "Invite the right people into the right communities." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, session: { type: "apiKey", in: "cookie", name: "convene_session" } } }
    },
    transform: jsonSchemaTransform
  });
  await app2.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: apiDocsCsp(isHttps(ctx.config)) });
  app2.get("/api/openapi.json", { schema: { hide: true } }, async () => app2.swagger());
  app2.get("/healthz", { schema: { tags: ["ops"], summary: "Liveness: the process answers" } }, async () => ({ ok: true }));
  app2.get("/readyz", { schema: { tags: ["ops"], summary: "Readiness: the database is reachable (503 when not)" } }, async (_request, reply) => {
    try {
      await sql12`select 1`.execute(ctx.db);
      return { ok: true, database: ctx.dialect };
    } catch {
      return sendError(reply, "service_unavailable", "The database is not reachable.");
    }
  });
  for (const routes of featureRoutes) await app2.register(routes);
  const webRoot = options.webRoot === void 0 ? fs4.existsSync(defaultWebRoot) ? defaultWebRoot : null : options.webRoot;
  const pageHtml = webRoot ? webPages(webRoot) : null;
  if (webRoot) {
    await app2.register(fastifyStatic, {
      root: webRoot,
      index: false,
      wildcard: false,
      // `npm run build` writes .br and .gz copies (scripts/compress-web.mjs); sent by Accept-Encoding
      preCompressed: true,
      globIgnore: ["**/*.br", "**/*.gz"],
      setHeaders: (reply, filePath) => reply.header("cache-control", staticCacheControl(webRoot, filePath))
    });
  }
  app2.setNotFoundHandler((request, reply) => {
    const isPage = (request.method === "GET" || request.method === "HEAD") && !request.url.startsWith("/api/") && !request.url.startsWith("/assets/");
    if (isPage && pageHtml) return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(pageHtml(request.url));
    return sendError(reply, "not_found");
  });
  return app2;
}
function staticCacheControl(webRoot, filePath) {
  const relative = path5.relative(webRoot, filePath).split(path5.sep);
  return relative[0] === "assets" ? "public, max-age=31536000, immutable" : "no-cache";
}
function apiDocsCsp(https) {
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' data:",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "form-action 'self'",
    ...https ? ["upgrade-insecure-requests"] : []
  ].join("; ");
}

// src/server/bootstrap.ts
import { pino } from "pino";

// src/server/clock.ts
var systemClock = { now: () => Date.now() };

// src/server/db/migrate.ts
import fs5 from "node:fs";
import path6 from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Migrator } from "kysely";
var migrationsDir = path6.join(path6.dirname(fileURLToPath(import.meta.url)), "migrations");
var FolderProvider = class {
  async getMigrations() {
    const files = fs5.readdirSync(migrationsDir).filter((f) => /^\d{4}-\d{2}-\d{2}T\d{4}-[\w-]+\.ts$/.test(f)).sort();
    const out = {};
    for (const file of files) {
      const mod = await import(pathToFileURL(path6.join(migrationsDir, file)).href);
      out[file.replace(/\.ts$/, "")] = mod;
    }
    return out;
  }
};
async function migrateToLatest(db) {
  const migrator = new Migrator({ db, provider: new FolderProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

// src/server/bootstrap.ts
async function createRuntime(config2, options = {}) {
  const handle = createDb(config2.databaseUrl);
  const logOptions = loggerOptions(config2);
  const log = pino(typeof logOptions === "object" ? logOptions : {});
  if (options.migrate ?? true) await migrateToLatest(handle.db);
  const ctx = { config: config2, db: handle.db, dialect: handle.dialect, clock: options.clock ?? systemClock, log };
  return { ctx, handle, close: () => handle.close() };
}

// bench/lib/tmp-rss.ts
var config = loadConfig({ NODE_ENV: "production", DATABASE_URL: "sqlite:/tmp/job.db", LOG_LEVEL: "warn", PUBLIC_URL: "http://127.0.0.1:3000" }, { secret: "bench-secret-0123456789abcdef0123456789abcdef", dataDir: os.tmpdir() });
var runtime = await createRuntime(config);
var app = await build(runtime.ctx, { webRoot: null });
await app.listen({ port: 0, host: "127.0.0.1" });
globalThis.gc?.();
console.log("app", process.memoryUsage());
await app.close();
await runtime.close();
