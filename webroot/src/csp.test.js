// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findInlineScripts } from '../noInlineScripts.js';

describe('the page under a strict CSP', () => {
  it('index.html loads its code from a file, with no inline script', () => {
    const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
    expect(html).toMatch(/<script type="module" src="\/src\/main.jsx"><\/script>/);
    expect(findInlineScripts(html)).toEqual([]);
  });

  it('the build check finds inline scripts and inline handlers', () => {
    expect(findInlineScripts('<script type="module" crossorigin src="/assets/a.js"></script>')).toEqual([]);
    expect(findInlineScripts('<script>window.x = 1</script>')).toHaveLength(1);
    expect(findInlineScripts('<script type="module">import "/a.js"</script>')).toHaveLength(1);
    expect(findInlineScripts('<body onload="go()">')).toHaveLength(1);
  });
});
