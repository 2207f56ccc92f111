import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { noInlineScripts } from './noInlineScripts.js';

export default defineConfig({
  plugins: [react(), tailwindcss(), noInlineScripts()],
  build: { outDir: 'dist', emptyOutDir: true },
  resolve: {
    alias: [
      // rehype-katex turns KaTeX's HTML into a tree with this package, whose browser build parses
      // it through innerHTML: each style="…" in it is then refused by the page's CSP (style-src
      // 'self') and reported, though React later sets the same styles allowed, through the CSSOM.
      // Its portable build (parse5) parses without the DOM, so nothing is refused.
      {
        find: /^hast-util-from-html-isomorphic$/,
        replacement: fileURLToPath(new URL('./node_modules/hast-util-from-html-isomorphic/index.js', import.meta.url)),
      },
    ],
  },
  // `npm run dev` proxies the API to a Parley started with `java -jar target/parley.jar`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{js,jsx}'] },
});
