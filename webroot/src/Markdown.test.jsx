import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Markdown from './Markdown.jsx';
import { loadFeature } from './markdownPlugins.js';

describe('Markdown', () => {
  afterEach(cleanup);

  it('shows an image as a link with its text and URL, so the browser never fetches it', () => {
    const url = 'https://collector.example/pixel.png?q=the%20secret%20chat';
    const { container } = render(<Markdown text={`Look: ![the chart](${url}) and [docs](https://docs.example/)`} />);
    expect(container.querySelector('img')).toBeNull();
    const link = screen.getByRole('link', { name: /the chart/ });
    expect(link.getAttribute('href')).toBe(url);
    expect(link.textContent).toBe(`[Image: the chart] ${url}`);
    expect(link.getAttribute('rel')).toContain('noreferrer');
    expect(screen.getByRole('link', { name: 'docs' }).getAttribute('href')).toBe('https://docs.example/');
  });

  it('shows a reference-style image as a link too, and one with an unsafe URL as text only', () => {
    const text = '![logo][l]\n\n![bad](javascript:alert(1))\n\n[l]: https://cdn.example/logo.svg';
    const { container } = render(<Markdown text={text} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: /logo/ }).getAttribute('href')).toBe('https://cdn.example/logo.svg');
    expect(screen.queryByRole('link', { name: /bad/ })).toBeNull();
    expect(screen.getByText('[Image: bad]')).toBeTruthy();
  });
});

describe('Markdown with code and math', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('typesets $…$ and $$…$$ with KaTeX, keeping the TeX as its annotation', async () => {
    const { container } = render(<Markdown text={'Euler: $e^{i\\pi}+1=0$\n\n$$\n\\int_0^1 x\\,dx\n$$'} />);
    await waitFor(() => expect(container.querySelectorAll('.katex')).toHaveLength(2));
    const annotations = [...container.querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent);
    expect(annotations).toEqual(['e^{i\\pi}+1=0', '\\int_0^1 x\\,dx']);
    expect(container.querySelector('.katex-display')).not.toBeNull();
  });

  it('highlights a fenced block that names its language, and its Copy button copies the code as written', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const code = 'const answer = 42;\nconsole.log(answer);';
    const { container } = render(<Markdown text={`Here:\n\n\`\`\`js\n${code}\n\`\`\`\n`} />);
    await waitFor(() => expect(container.querySelector('code.hljs .hljs-keyword')).not.toBeNull());
    expect(container.querySelector('[data-code-block]').getAttribute('data-code-block')).toBe('js');
    fireEvent.click(screen.getByRole('button', { name: 'Copy js code' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(code));
    expect(await screen.findByText('Copied')).toBeTruthy();
  });

  it('leaves a block without a language unhighlighted, with its Copy button', async () => {
    const { container } = render(<Markdown text={'```\nplain words\n```\n\nand $x$'} />);
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(container.querySelector('.hljs')).toBeNull();
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy();
  });

  it('renders a streaming reply (rich off) as plain Markdown: no highlighting, no typesetting', async () => {
    await Promise.all([loadFeature('code'), loadFeature('math')]);
    const text = '```js\nlet x = 1;\n```\n\n$a^2$';
    const { container, rerender } = render(<Markdown text={text} rich={false} />);
    // The plugins are loaded; still none is applied.
    expect(container.querySelector('.hljs')).toBeNull();
    expect(container.querySelector('.katex')).toBeNull();
    expect(container.textContent).toContain('$a^2$');
    rerender(<Markdown text={text} rich />);
    expect(container.querySelector('.hljs')).not.toBeNull();
    expect(container.querySelector('.katex')).not.toBeNull();
  });

  it('shows raw HTML from the model as text: no script, no image, no handler', async () => {
    const text = 'a <script>alert(1)</script> b <img src=x onerror="alert(2)"> c\n\n<div onclick="alert(3)">d</div>\n\n$x$';
    const { container } = render(<Markdown text={text} />);
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(container.querySelector('script, img, [onerror], [onclick]')).toBeNull();
    expect(container.textContent).toContain('<script>alert(1)</script>');
    expect(container.textContent).toContain('<img src=x onerror="alert(2)">');
    expect(container.textContent).toContain('<div onclick="alert(3)">');
  });

  it('keeps KaTeX from making links or loading anything (\\href and \\includegraphics are not trusted)', async () => {
    const { container } = render(<Markdown text={'$\\href{javascript:alert(1)}{x}$ and $\\includegraphics{https://evil.example/a.png}$'} />);
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(container.querySelector('a, img')).toBeNull();
  });
});
