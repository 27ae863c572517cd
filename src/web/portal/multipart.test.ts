import { describe, expect, it } from 'vitest';
import { boundaryOf, readMultipart } from './multipart.ts';

describe('multipart/form-data', () => {
  it('reads text fields and a file as the browser sends them', () => {
    const boundary = '----WebKitFormBoundaryAbc123';
    const body = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="certificate"',
        '',
        'line one\r\nline two',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="c.json"',
        'Content-Type: application/json',
        '',
        '{"a":"ب"}',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    expect(boundaryOf(`multipart/form-data; boundary=${boundary}`)).toBe(boundary);
    expect(boundaryOf('multipart/form-data; boundary="quoted b"')).toBe('quoted b');
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(readMultipart(body, boundary)).toEqual({ certificate: 'line one\r\nline two', file: '{"a":"ب"}' });
  });

  it('skips what it cannot read and never loops on a truncated body', () => {
    expect(readMultipart(Buffer.from('--b\r\nno headers end'), 'b')).toEqual({});
    expect(readMultipart(Buffer.from('garbage'), 'b')).toEqual({});
  });
});
