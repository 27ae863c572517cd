/** Reading console form bodies (application/x-www-form-urlencoded, parsed by @fastify/formbody). */

/** One text field of a form body, trimmed unless `raw`; '' when absent or repeated oddly. */
export function formText(body: unknown, name: string, raw = false): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return '';
  return raw ? text : text.trim();
}

/** A same-site console path to go to after login, or the console home (no open redirect). */
export function consoleNext(next: string): string {
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/console/';
  const url = new URL(next, 'http://console.invalid');
  if (url.origin !== 'http://console.invalid' || !url.pathname.startsWith('/console/')) return '/console/';
  if (url.pathname.startsWith('/console/login') || url.pathname.startsWith('/console/logout'))
    return '/console/';
  return `${url.pathname}${url.search}`;
}
