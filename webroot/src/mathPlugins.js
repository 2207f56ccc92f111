// Loaded on first need (markdownPlugins.js): math typeset by KaTeX, with its styles; its fonts
// come from Parley itself, as the page's CSP requires. KaTeX keeps its default trust: false, so
// \href, \url, \includegraphics and \htmlClass make nothing.
import 'katex/dist/katex.min.css';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

export default { remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] };
