/**
 * What an API token may call. `read`: safe requests (GET, HEAD) only; `data_jobs`: those and
 * every Data Tools route (routes marked `config.tokenScope: 'data_jobs'`); `full`: everything its
 * admin may. The token's admin must still be allowed the route: scopes only narrow.
 */
import { type ApiTokenScope, apiTokenScopes } from '../../shared/enums.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scopes stored as `read,data_jobs`, unknown words dropped. */
export function parseScopes(stored: string): ApiTokenScope[] {
  return apiTokenScopes.filter((s) => stored.split(',').includes(s));
}

/** The stored form: unique, in catalogue order. */
export function formatScopes(scopes: readonly ApiTokenScope[]): string {
  return apiTokenScopes.filter((s) => scopes.includes(s)).join(',');
}

/** Whether a token with these scopes may make this request. */
export function tokenAllows(
  scopes: readonly ApiTokenScope[],
  request: { readonly method: string; readonly routeScope: 'data_jobs' | undefined },
): boolean {
  if (scopes.includes('full')) return true;
  if (safeMethods.has(request.method.toUpperCase())) return scopes.length > 0;
  return request.routeScope === 'data_jobs' && scopes.includes('data_jobs');
}
