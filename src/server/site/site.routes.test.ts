import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/test-db.js';
import { useTestApp } from '../testing/test-app.js';

describeEachDb(
  'GET /api/site',
  (t) => {
    const app = useTestApp(t);

    it('answers the site name without sign-in', async () => {
      const response = await app().inject({ method: 'GET', url: '/api/site' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ name: 'Northfield University', identityProviders: [] });
    });
  },
  { siteName: 'Northfield University' },
);
