import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Model output is untrusted: raw HTML in it is dropped, never injected (no rehype-raw).
export default function Markdown({ text }) {
  return (
    <div className="markdown break-words">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
