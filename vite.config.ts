/** Builds the web app (src/web) into dist/web, which the server serves with an SPA fallback. */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // .vite/manifest.json: the server reads it to preload a public screen's chunks (src/server/http/web-pages.ts)
    manifest: true,
    // Mantine + React make one large vendor chunk; that is expected for an admin-heavy app.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev` serves the API on 3000; `npx vite` proxies to it during UI work.
    proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000', '/readyz': 'http://127.0.0.1:3000' },
  },
});
