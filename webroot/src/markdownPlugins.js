// Highlighting and math are loaded on first need, each in a chunk of its own: most pages never
// show a code block or a formula, and highlight.js or KaTeX alone would double the first page's
// script. A reply with code loads the first, one with a formula the second.

const FEATURES = {
  // KaTeX first: a ```math block is a formula, not code to highlight.
  math: { wanted: (text) => text.includes('$'), load: () => import('./mathPlugins.js') },
  code: { wanted: (text) => /```|~~~/.test(text), load: () => import('./highlightPlugins.js') },
};

const loaded = {};
const loading = {};

// The features this text may need (a cheap test, run on each render: a false positive only
// costs the load).
export function featuresFor(text) {
  return Object.keys(FEATURES).filter((name) => FEATURES[name].wanted(text));
}

export function isLoaded(name) {
  return name in loaded;
}

// One load per feature for the whole page.
export function loadFeature(name) {
  loading[name] ??= FEATURES[name].load().then((module) => {
    loaded[name] = module.default;
  });
  return loading[name];
}

// The remark and rehype plugins of those of `names` loaded so far, in a fixed order.
export function pluginsFor(names) {
  const here = Object.keys(FEATURES).filter((name) => names.includes(name) && isLoaded(name));
  return {
    remarkPlugins: here.flatMap((name) => loaded[name].remarkPlugins),
    rehypePlugins: here.flatMap((name) => loaded[name].rehypePlugins),
  };
}
