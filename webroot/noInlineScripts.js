// Parley serves its pages with a Content-Security-Policy that forbids inline scripts (docs/API.md,
// "Abuse and cost"). This Vite plugin fails the build if the produced index.html has one.

// The <script> tags of a page that carry code instead of a src, or an inline event handler.
export function findInlineScripts(html) {
  const found = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [tag, attributes, body] = match;
    if (!/\bsrc\s*=/i.test(attributes) || body.trim() !== '') found.push(tag);
  }
  for (const match of html.matchAll(/<[^>]+\son[a-z]+\s*=[^>]*>/gi)) found.push(match[0]);
  return found;
}

export function noInlineScripts() {
  return {
    name: 'parley-no-inline-scripts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const inline = findInlineScripts(html);
        if (inline.length > 0) {
          throw new Error(`index.html must have no inline script (the CSP forbids them): ${inline.join(', ')}`);
        }
        return html;
      },
    },
  };
}
