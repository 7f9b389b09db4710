/** Matrix rows for the site routes: the site's name is public (the sign-in page shows it). */
import { type AuthzRow, expectations } from '../testing/authz.js';

export const authzRows: AuthzRow[] = [{ route: 'GET /api/site', expect: expectations.open() }];
