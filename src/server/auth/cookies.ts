/** Cookie names and options: `__Host-` and `Secure` when served over https. */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { limits } from '../../shared/limits.js';
import { type Config, isHttps } from '../config.js';
import { randomToken } from '../crypto.js';
import { attemptCookieName, sessionCookieName } from '../http/cookie-names.js';

export { attemptCookieName, sessionCookieName };

export function cookieOptions(config: Config, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(config),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

const ATTEMPT_COOKIE_SECONDS = 60 * 60;
const tokenShape = /^[A-Za-z0-9_-]{22,64}$/;

/** The browser's attempt token, when it sent a well-formed one. */
export function attemptTokenOf(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[attemptCookieName(config)];
  return value && tokenShape.test(value) ? value : undefined;
}

/**
 * Sets the attempt cookie and returns its token. A browser that already has one keeps it, so
 * asking twice (or being held back by the send limits) does not orphan the code already sent.
 */
export function issueAttemptCookie(request: FastifyRequest, reply: FastifyReply, config: Config): string {
  const token = attemptTokenOf(request, config) ?? randomToken(16);
  reply.setCookie(attemptCookieName(config), token, cookieOptions(config, ATTEMPT_COOKIE_SECONDS));
  return token;
}

export function clearAttemptCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(attemptCookieName(config), cookieOptions(config));
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(sessionCookieName(config), token, cookieOptions(config, Math.floor(limits.sessionAbsoluteMs / 1000)));
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), cookieOptions(config));
}
