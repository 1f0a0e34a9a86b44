/**
 * Builds Montage Studio into studio/dist, which is committed and served by src/http/studio-routes.ts
 * at / (files under /studio/). `npm run build:studio` from the repository root.
 * `npx vite --config studio/vite.config.ts` serves it for development, with /v1 sent to a
 * `montage serve` on MONTAGE_URL (default http://127.0.0.1:8080).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** codemirror-json-schema's markdown renderer pulls in Shiki; the page needs none of it. */
const markdownStub = (): Plugin => ({
  name: 'montage-markdown-stub',
  enforce: 'pre',
  resolveId(source, importer) {
    if (importer?.includes('codemirror-json-schema') && /\/utils\/markdown(\.js)?$/.test(source)) return here('./src/markdown-stub.ts');
    return null;
  },
});

export default defineConfig({
  root: here('.'),
  base: '/studio/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [markdownStub()],
  build: {
    outDir: process.env.STUDIO_OUT_DIR ?? here('./dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0, // gallery media stay files, fetched only when an example needs them
    target: 'es2022',
    chunkSizeWarningLimit: 1200, // one bundle of about 800 KiB (CodeMirror, Ajv, json-schema-library), about 250 KiB gzipped
    reportCompressedSize: false,
  },
  server: { proxy: { '/v1': process.env.MONTAGE_URL ?? 'http://127.0.0.1:8080' } },
});
