/**
 * @module Vite build of the portal: React, served by docket at `/app/` from
 * `web/dist`. Everything is bundled — no CDN, no fonts from the net (system font
 * stack in styles.css) — so the portal works offline and under a strict CSP.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '^/(session|portal|admin|tasks|projects|oauth|openapi.json)': 'http://127.0.0.1:8080' } },
});
