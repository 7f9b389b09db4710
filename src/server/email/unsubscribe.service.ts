/** Unsubscribe from marketing email (invitations) by the signed link in every such email. */
import type { UnsubscribeStatus } from '../../shared/email.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { maskEmail } from '../log.js';
import { findSuppression, suppressUnsubscribedAddress } from './suppression.repository.js';
import { emailOfUnsubscribeToken } from './unsubscribe.js';

function addressOf(ctx: AppContext, token: string): string {
  const email = emailOfUnsubscribeToken(ctx.config, token);
  if (!email) throw new AppError('unsubscribe_link_invalid');
  return email;
}

export async function getUnsubscribeStatus(ctx: AppContext, token: string): Promise<UnsubscribeStatus> {
  const email = addressOf(ctx, token);
  return { email: maskEmail(email), unsubscribed: (await findSuppression(ctx.db, email)) !== undefined };
}

/** Suppresses marketing mail to the token's address. Transactional mail (sign-in codes) still goes. */
export async function unsubscribe(
  ctx: AppContext,
  token: string,
  via: 'one_click' | 'page',
): Promise<UnsubscribeStatus> {
  const email = addressOf(ctx, token);
  await suppressUnsubscribedAddress(ctx.db, email, via, ctx.clock.now());
  return { email: maskEmail(email), unsubscribed: true };
}
