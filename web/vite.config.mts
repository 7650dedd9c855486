/**
 * The two pages (officer app at /app/, risk workbench at /app/risk/), built into dist/web/ for
 * src/platform/web-app.ts to serve. Assets get content hashes, so they may be cached for good.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: '/app/',
  // Preact's automatic JSX runtime; no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    // No inline assets: the CSP allows images from 'self' and data:, but keep files plain.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { officer: resolve(here, 'index.html'), risk: resolve(here, 'risk/index.html') },
    },
  },
  // `npm run web:dev`: the pages with hot reload, the API from a service on :3000.
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
