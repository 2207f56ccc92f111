import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Model output is untrusted: raw HTML in it is dropped, never injected (no rehype-raw), and
// URLs have already passed react-markdown's safe-protocol filter (javascript: and data: become '').
// An image is shown as a link, never loaded: an injected image URL is a known way to leak a
// chat's text to a third party (and the page's CSP allows images only from Parley itself).
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

const components = { img: ImageAsLink, a: Link };

export default function Markdown({ text }) {
  return (
    <div className="markdown break-words">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
