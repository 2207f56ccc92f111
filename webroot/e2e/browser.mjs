// What the browser tests share: Debian's Chromium started by playwright-core, and a watch on a
// browser context for what the page's Content-Security-Policy refused and for any request that
// left Parley's own origin (a reply must never make the browser fetch a third-party URL).
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

// A fresh browser with one page of this size open at `base`, and what watch(…) sees of it.
// `contextOptions` go to the browser context (e.g. permissions).
export async function openPage(base, viewport, contextOptions = {}) {
  const browser = await launch();
  const context = await browser.newContext({ viewport, ...contextOptions });
  const seen = watch(context, base);
  const page = await context.newPage();
  await page.goto(base);
  return { browser, page, seen };
}

// Lists that fill as the pages of `context` run: CSP refusals (Chromium reports each on the
// console), uncaught page errors, and requests to any origin but `base`'s.
export function watch(context, base) {
  const origin = new URL(base).origin;
  const seen = { cspViolations: [], pageErrors: [], foreignRequests: [] };
  const follow = (page) => {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) seen.cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  };
  context.pages().forEach(follow);
  context.on('page', follow);
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) seen.foreignRequests.push(request.url());
  });
  return seen;
}
