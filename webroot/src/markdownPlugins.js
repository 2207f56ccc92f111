// Highlighting and math are loaded on first need, in a chunk of their own: most pages never show
// a code block or a formula, and highlight.js and KaTeX would triple the first page's script.

let loaded = null;
let loading = null;

// Only text that may hold a fenced code block or a formula needs them (a cheap test, run on each
// render: false positives only cost the load).
export function needsRichPlugins(text) {
  return /```|~~~|\$/.test(text);
}

// The plugins if they are here already, else null.
export function richPluginsNow() {
  return loaded;
}

// Resolves to {remarkPlugins, rehypePlugins}; one load for the whole page.
export function loadRichPlugins() {
  loading ??= import('./richPlugins.js').then((module) => {
    loaded = module.default;
    return loaded;
  });
  return loading;
}
