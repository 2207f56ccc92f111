import { describe, expect, it } from 'vitest';
import { snippetParts, unescapeEntities } from './snippet.js';

describe('search snippets', () => {
  it('splits on <mark> and </mark> and unescapes the five entities into text', () => {
    expect(snippetParts('the <mark>lighthouse</mark> &amp; its <mark>keeper</mark>&#39;s &quot;log&quot;')).toEqual([
      { text: 'the ', marked: false },
      { text: 'lighthouse', marked: true },
      { text: ' & its ', marked: false },
      { text: 'keeper', marked: true },
      { text: '\'s "log"', marked: false },
    ]);
  });

  it('keeps escaped markup as text, a mark tag included', () => {
    expect(snippetParts('&lt;script&gt;alert(1)&lt;/script&gt; &lt;mark&gt;no&lt;/mark&gt; <mark>&lt;b&gt;</mark>')).toEqual([
      { text: '<script>alert(1)</script> <mark>no</mark> ', marked: false },
      { text: '<b>', marked: true },
    ]);
  });

  it('unescapes once, so an escaped entity stays an entity', () => {
    expect(unescapeEntities('&amp;lt; &amp;amp; &lt;')).toBe('&lt; &amp; <');
    expect(snippetParts('')).toEqual([]);
    expect(snippetParts(undefined)).toEqual([]);
  });
});
