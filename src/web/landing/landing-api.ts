/** The landing page calls (their schemas in src/shared/landing.ts). */
import type { z } from 'zod';
import type { SignInCodeAnswer } from '../auth/auth-api';
import type {
  LandingImage,
  landingLinkInput,
  LandingPage,
  LandingResult,
  LandingSettings,
  LandingSettingsInput,
  LandingStats,
  LandingVisitAnswer,
} from '../../shared/landing';
import { api, ApiError } from '../api/client';

const page = (slug: string) => `/api/landing/${encodeURIComponent(slug)}`;

export const landingPageKey = (slug: string) => ['landing', slug] as const;

/** GET /api/landing/:slug — 404 `landing_disabled` when the page is off or unknown. */
export function fetchLandingPage(slug: string, signal?: AbortSignal): Promise<LandingPage> {
  return api<LandingPage>(page(slug), { signal });
}

/** POST …/code — the same answer for every address; the email never goes into a URL. */
export function requestLandingCode(slug: string, email: string): Promise<SignInCodeAnswer> {
  return api<SignInCodeAnswer>(`${page(slug)}/code`, { body: { email } });
}

/** The names a new person gives with the code or the link. */
export type ProfileInput = Omit<z.input<typeof landingLinkInput>, 'token'>;

/** POST …/verify — the visit's end, or `{ next: 'profile', fields }`: send the names with the same code. */
export function verifyLandingCode(
  slug: string,
  input: { readonly email: string; readonly code: string } & ProfileInput,
): Promise<LandingVisitAnswer> {
  return api<LandingVisitAnswer>(`${page(slug)}/verify`, { body: input });
}

/** POST …/link — the Continue button of the emailed link. */
export function followLandingLink(
  slug: string,
  input: { readonly token: string } & ProfileInput,
): Promise<LandingVisitAnswer> {
  return api<LandingVisitAnswer>(`${page(slug)}/link`, { body: input });
}

/** POST …/join — a signed-in visitor joins without a new code. */
export function joinLandingSignedIn(slug: string): Promise<LandingResult> {
  return api<LandingResult>(`${page(slug)}/join`, { method: 'POST', body: {} });
}

const settings = (communityId: number) => `/api/communities/${communityId}/landing`;

export const landingSettingsKey = (communityId: number) => ['landing-settings', communityId] as const;
export const landingStatsKey = (communityId: number) => ['landing-stats', communityId] as const;

export function fetchLandingSettings(communityId: number, signal?: AbortSignal): Promise<LandingSettings> {
  return api<LandingSettings>(settings(communityId), { signal });
}

export function updateLandingSettings(communityId: number, input: LandingSettingsInput): Promise<LandingSettings> {
  return api<LandingSettings>(settings(communityId), { method: 'PATCH', body: input });
}

export function fetchLandingStats(communityId: number, signal?: AbortSignal): Promise<LandingStats> {
  return api<LandingStats>(`${settings(communityId)}/stats`, { signal });
}

export const landingQrUrl = (communityId: number, format: 'png' | 'svg') => `${settings(communityId)}/qr.${format}`;

/**
 * PUT …/landing/image — the logo or cover image as multipart (fields alt, then file). The server
 * checks the bytes: PNG, JPEG or WebP, at most 2 MB, sensible dimensions.
 */
export async function uploadLandingImage(communityId: number, file: File, alt: string): Promise<LandingImage> {
  const form = new FormData();
  form.append('alt', alt);
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`${settings(communityId)}/image`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Convene could not be reached. Check your connection and try again.');
  }
  const payload = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return payload as LandingImage;
  const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  throw error?.code && error.message
    ? new ApiError(response.status, error.code as ApiError['code'], error.message, error.details)
    : new ApiError(response.status, 'unexpected_response', `The upload failed (HTTP ${response.status}).`);
}

/** DELETE …/landing/image */
export function removeLandingImage(communityId: number): Promise<{ ok: true }> {
  return api<{ ok: true }>(`${settings(communityId)}/image`, { method: 'DELETE' });
}
