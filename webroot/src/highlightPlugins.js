// Loaded on first need (markdownPlugins.js): code highlighting and its theme.
import 'highlight.js/styles/github-dark.css';
import rehypeHighlight from 'rehype-highlight';

export default {
  remarkPlugins: [],
  // Only code that names its language is highlighted: guessing runs every grammar over the text
  // and is often wrong on a short snippet.
  rehypePlugins: [[rehypeHighlight, { detect: false }]],
};
