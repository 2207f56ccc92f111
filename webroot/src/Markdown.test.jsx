import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import Markdown from './Markdown.jsx';

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
