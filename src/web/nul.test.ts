import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nulField } from './nul.ts';

describe('NUL in request text', () => {
  it('names the first field holding U+0000, in strings, keys and nested values', () => {
    expect(nulField({ a: 'x', b: ['y', 'z\u0000'] }, 'body')).toBe('body.b[1]');
    expect(nulField({ 'k\u0000': 1 }, 'query')).toBe('query');
    expect(nulField('a\u0000', 'path')).toBe('path');
    expect(nulField({ a: 'x', b: [1, null, { c: 'ok' }] }, 'body')).toBeNull();
    // Query strings parse to objects of their own prototype.
    class Query {
      search = 'a\u0000';
    }
    expect(nulField(new Query(), 'query')).toBe('query.search');
  });

  it('leaves streamed bodies to their routes', () => {
    expect(nulField(Readable.from(['a\u0000']), 'body')).toBeNull();
  });
});
