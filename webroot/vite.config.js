import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { noInlineScripts } from './noInlineScripts.js';

export default defineConfig({
  plugins: [react(), tailwindcss(), noInlineScripts()],
  build: { outDir: 'dist', emptyOutDir: true },
  // `npm run dev` proxies the API to a Parley started with `java -jar target/parley.jar`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{js,jsx}'] },
});
