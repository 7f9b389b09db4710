/** A person's links to identity provider accounts: list, and unlink. */
import type { MyLinks } from '../../shared/sso.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { toPublicProvider } from './providers.service.js';
import { deleteSsoLink, listEnabledIdentityProviders, listSsoLinksOfPerson } from './sso.repository.js';
import { recentlyRemovedLinks } from './unverified-links.js';

export async function myLinks(ctx: AppContext, personId: number): Promise<MyLinks> {
  const [links, providers, removed] = await Promise.all([
    listSsoLinksOfPerson(ctx.db, personId),
    listEnabledIdentityProviders(ctx.db),
    recentlyRemovedLinks(ctx, personId),
  ]);
  const linked = new Set(links.map((l) => l.provider_id));
  return {
    items: links.map((l) => ({
      providerId: l.provider_id,
      providerName: l.provider_name,
      email: l.email,
      linkedAt: l.created_at,
    })),
    available: providers.filter((p) => !linked.has(p.id)).map(toPublicProvider),
    removed: removed.filter((r) => !linked.has(r.providerId)),
  };
}

export async function unlinkProvider(ctx: AppContext, personId: number, providerId: number): Promise<void> {
  if (!(await deleteSsoLink(ctx.db, providerId, personId))) throw new AppError('not_found', 'No such link.');
  ctx.log.info({ event: 'sso.unlinked', providerId, personId }, 'identity provider account unlinked');
}
