// The lazily loaded part of Markdown rendering (see markdownPlugins.js), with the styles it needs:
// KaTeX's fonts come from Parley itself, as the page's CSP requires.
import 'katex/dist/katex.min.css';
import 'highlight.js/styles/github-dark.css';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

export default {
  remarkPlugins: [remarkMath],
  // KaTeX first: a ```math block is a formula, not code to highlight. Only code that names its
  // language is highlighted; guessing runs every grammar over the text and is often wrong on a
  // short snippet. KaTeX keeps its default trust: false, so \href, \url and \htmlClass do nothing.
  rehypePlugins: [rehypeKatex, [rehypeHighlight, { detect: false }]],
};
