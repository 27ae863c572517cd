/**
 * A small multipart/form-data reader (RFC 7578) for the certificate upload form: text fields and one
 * small file, read whole from a bounded body. Enough for a file of a few hundred bytes; not a general
 * upload handler (the project has no multipart dependency, and the portal needs no more).
 */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** Field name → value (a file's content as UTF-8 text). Unreadable parts are skipped. */
export function readMultipart(body: Buffer, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // A part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined && !(name in fields)) fields[name] = part.subarray(split + 4).toString('utf8');
    }
    at = next;
  }
  return fields;
}
