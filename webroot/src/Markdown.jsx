import { memo, useEffect, useReducer } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { toText } from 'hast-util-to-text';
import CopyButton from './CopyButton.jsx';
import { featuresFor, isLoaded, loadFeature, pluginsFor } from './markdownPlugins.js';

// Model output is untrusted: raw HTML in it is shown as the text it is, never injected (no
// rehype-raw), and URLs have already passed react-markdown's safe-protocol filter (javascript: and
// data: become ''). An image is shown as a link, never loaded: an injected image URL is a known way
// to leak a chat's text to a third party (and the page's CSP allows images only from Parley itself).
function ImageAsLink({ src, alt }) {
  const text = alt ? `Image: ${alt}` : 'Image';
  if (!src) return <span className="text-slate-500">[{text}]</span>;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow" data-image-link="">
      [{text}] {src}
    </a>
  );
}

function Link({ href, children }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

// The language a fenced block names (```js), from its <code>'s language-* class.
function languageOf(pre) {
  const code = pre?.children?.find((child) => child.type === 'element' && child.tagName === 'code');
  const classes = code?.properties?.className ?? [];
  const named = classes.find((name) => String(name).startsWith('language-'));
  return named ? String(named).slice('language-'.length) : null;
}

// A code block with its language and a Copy button that copies the code as written.
function CodeBlock({ node, children }) {
  const language = languageOf(node);
  const code = node ? toText(node, { whitespace: 'pre' }).replace(/\n$/, '') : '';
  return (
    <div className="code-block" data-code-block={language ?? ''}>
      <div className="code-block-bar">
        <span>{language ?? 'code'}</span>
        <CopyButton text={code} label={language ? `Copy ${language} code` : 'Copy code'} className="code-copy" />
      </div>
      <pre>{children}</pre>
    </div>
  );
}

const components = { img: ImageAsLink, a: Link, pre: CodeBlock };

// The plugins for highlighting and math that this text needs, loading those not here yet (and
// rendering again once they are).
function useRichPlugins(features) {
  const [, loadedMore] = useReducer((count) => count + 1, 0);
  const key = features.join(' ');
  useEffect(() => {
    const missing = key.split(' ').filter((name) => name && !isLoaded(name));
    if (missing.length === 0) return undefined;
    let current = true;
    Promise.all(missing.map(loadFeature)).then(
      () => current && loadedMore(),
      () => {}, // a chunk could not be loaded (offline): the text stays plain Markdown
    );
    return () => {
      current = false;
    };
  }, [key]);
  return pluginsFor(features);
}

// `rich` false (a reply still streaming) renders plain Markdown: highlighting and typesetting the
// whole reply again on every token would cost more with each token, and a half-written formula or
// fence would flicker between forms. The reply is highlighted once, when it ends.
function Markdown({ text, rich = true }) {
  const plugins = useRichPlugins(rich ? featuresFor(text) : []);
  return (
    <div className="markdown break-words">
      <ReactMarkdown
        remarkPlugins={[remarkGfm, ...plugins.remarkPlugins]}
        rehypePlugins={plugins.rehypePlugins}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

export default memo(Markdown);
