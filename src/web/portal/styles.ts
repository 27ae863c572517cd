/**
 * The portal's one stylesheet. Mobile first (readable at 360 px), logical properties only
 * (margin-inline, padding-block, inset-inline-start…) so that Arabic mirrors without a second sheet,
 * and colours with at least 4.5:1 contrast (WCAG 2.2 §1.4.3). Served with a content hash in its URL,
 * so it can be cached for a year.
 */
import { createHash } from 'node:crypto';

export const PORTAL_CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #8a8a8a; --link: #0b4fa8;
  --focus: #ffbf47; --allowed: #0f6b2f; --tracked: #8a4b00; --blocked: #a4161a; --unknown: #3f3f46;
  --panel: #f3f4f6; }
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif;
  font-size: 100%; line-height: 1.5; color: var(--ink); background: #fff; }
body { margin: 0; overflow-wrap: anywhere; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
.skip { position: absolute; inset-inline-start: 0.5rem; inset-block-start: -4rem; padding: 0.5rem 1rem;
  background: var(--focus); color: var(--ink); z-index: 1; }
.skip:focus { inset-block-start: 0.5rem; }
header, main, footer { padding-inline: 1rem; max-inline-size: 48rem; margin-inline: auto; }
header { padding-block: 0.75rem; border-block-end: 4px solid var(--ink); }
.site { font-size: 1.25rem; font-weight: 700; color: var(--ink); text-decoration: none; }
.tagline { margin: 0; color: var(--muted); font-size: 0.95rem; }
nav ul, .languages ul { list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.25rem 1rem; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.languages { margin-block-start: 0.5rem; font-size: 0.95rem; }
.languages h2 { font-size: inherit; display: inline; margin: 0; }
.languages ul { display: inline-flex; margin-inline-start: 0.5rem; }
main { padding-block: 1rem 2rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-block: 0.5rem 1rem; }
h2 { font-size: 1.25rem; margin-block: 1.5rem 0.5rem; }
.field { margin-block: 1rem; }
label { display: block; font-weight: 700; }
.hint { display: block; color: var(--muted); margin-block: 0.1rem 0.3rem; }
.error-message { display: block; color: var(--blocked); font-weight: 700; }
input[type="text"], input[type="search"], input[type="tel"], input[type="email"],
input[type="datetime-local"], select, textarea, input[type="file"] { inline-size: 100%;
  max-inline-size: 30rem; font: inherit; padding: 0.5rem; border: 2px solid var(--ink); border-radius: 0; }
textarea { max-inline-size: 100%; min-block-size: 8rem; font-family: ui-monospace, monospace; font-size: 0.9rem; }
select { background: #fff; color: var(--ink); }
fieldset.choices { border: 0; padding: 0; margin-inline: 0; min-inline-size: 0; }
fieldset.choices legend { font-weight: 700; padding: 0; }
.choice { display: grid; grid-template-columns: 1.5rem 1fr; column-gap: 0.5rem; align-items: start;
  margin-block: 0.5rem; }
.choice input { inline-size: 1.25rem; block-size: 1.25rem; margin: 0.15rem 0 0; accent-color: var(--ink); }
.choice label { font-weight: 400; }
.choice .hint { grid-column: 2; margin: 0; }
input[type="radio"]:focus-visible, input[type="checkbox"]:focus-visible, select:focus-visible {
  outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
.notice { border-inline-start: 10px solid var(--allowed); background: var(--panel); padding: 0.75rem 1rem;
  margin-block: 1rem; }
form.inline { display: inline; }
[aria-invalid="true"] { border-color: var(--blocked); border-inline-start-width: 6px; }
button, .button { display: inline-block; font: inherit; font-weight: 700; padding: 0.6rem 1.2rem;
  border: 0; background: #00703c; color: #fff; cursor: pointer; text-decoration: none; margin-block: 0.25rem; }
.button.secondary { background: var(--panel); color: var(--ink); border: 2px solid var(--ink); }
.error-summary { border: 4px solid var(--blocked); padding: 0.75rem 1rem; margin-block: 1rem; }
.error-summary h2 { margin-block-start: 0; }
.status { border-inline-start: 10px solid var(--unknown); background: var(--panel); padding: 0.75rem 1rem;
  margin-block: 1rem; }
.status h2 { margin: 0; font-size: 1.5rem; }
.status p { margin-block: 0.25rem 0; }
.status-allowed { border-color: var(--allowed); } .status-allowed h2 { color: var(--allowed); }
.status-tracked { border-color: var(--tracked); } .status-tracked h2 { color: var(--tracked); }
.status-blocked { border-color: var(--blocked); } .status-blocked h2 { color: var(--blocked); }
dl.facts { display: grid; grid-template-columns: 1fr; gap: 0.1rem 1rem; margin: 0; }
dl.facts dt { font-weight: 700; margin-block-start: 0.5rem; }
dl.facts dd { margin: 0; }
.mono { font-family: ui-monospace, monospace; font-size: 0.85rem; }
.qr svg { inline-size: 100%; max-inline-size: 16rem; block-size: auto; }
.panel { background: var(--panel); padding: 0.75rem 1rem; margin-block: 1rem; }
footer { border-block-start: 1px solid var(--line); padding-block: 1rem 2rem; color: var(--muted);
  font-size: 0.95rem; }
footer ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; }
@media (min-width: 40rem) {
  dl.facts { grid-template-columns: max-content 1fr; }
  dl.facts dt { margin-block-start: 0; }
  h1 { font-size: 2rem; }
}
@media print {
  header nav, .languages, footer, .skip, .no-print { display: none; }
  header { border: 0; }
}
`.trim();

export const PORTAL_CSS_HASH = createHash('sha256').update(PORTAL_CSS).digest('hex').slice(0, 12);
export const PORTAL_CSS_PATH = '/assets/portal.css';
export const PORTAL_CSS_URL = `${PORTAL_CSS_PATH}?v=${PORTAL_CSS_HASH}`;
