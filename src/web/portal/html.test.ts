import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated value', () => {
    const input = `"><script>alert('x')</script>&\``;
    expect(html`<p title="${input}">${input}</p>`.html).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">' +
        '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</p>',
    );
  });

  it('keeps nested templates and raw markup, joins lists, drops empty values', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${raw('<hr>')}`.html).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>0<hr>',
    );
  });

  it('escapes the characters that can end text or an attribute, and nothing else', () => {
    expect(escapeHtml('٣٥٢ 中文 é & <')).toBe('٣٥٢ 中文 é &amp; &lt;');
  });
});
