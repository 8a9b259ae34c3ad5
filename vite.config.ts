import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// @ts-expect-error plain ESM script without types
import { precompress } from './scripts/precompress.mjs';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));

/** Back-office SPA: sources in src/web, built into dist/web which the Fastify server serves. */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [
    react(),
    // .br and .gz of every built text file, served as they are by the server (no compression per request).
    { name: 'ocop-precompress', apply: 'build', closeBundle: () => void precompress() },
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Vendor code changes far less often than ours: separate chunks keep browser caches warm across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack)[\\/]/, priority: 20 },
            // antd's style engine and shared internals change together; components stay with the routes that use them.
            { name: 'antd', test: /node_modules[\\/](@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color)|@rc-component[\\/](util|motion|resize-observer|trigger|portal)|dayjs|@babel[\\/]runtime|stylis|@emotion)[\\/]/, priority: 10, minShareCount: 1 },
          ],
        },
      },
    },
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: { '/api': 'http://localhost:3000' },
  },
});
