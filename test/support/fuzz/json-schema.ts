/**
 * The JSON Schema subset the OpenAPI document of the registry uses (type, properties, required,
 * additionalProperties, items, enum, const, anyOf/oneOf/allOf, min/max length, items and values,
 * pattern, format date-time, local $ref): a checker for answers and a generator of requests.
 */
import type { Random } from './random.ts';
import { randomText } from './texts.ts';

export type Schema = Readonly<Record<string, unknown>>;

function resolve(schema: Schema, root: unknown): Schema {
  let s = schema;
  for (let hops = 0; typeof s.$ref === 'string' && hops < 16; hops++) {
    const ref = s.$ref as string;
    if (!ref.startsWith('#/')) return {};
    let at: unknown = root;
    for (const step of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[step];
    s = (at as Schema | undefined) ?? {};
  }
  return s;
}

const typeOf = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number' && Number.isInteger(v)
        ? 'integer'
        : typeof v;

function fitsType(type: string, v: unknown): boolean {
  const t = typeOf(v);
  return type === t || (type === 'number' && t === 'integer');
}

/** The ways `value` breaks `schema`, each with its JSON path (none: it fits). */
export function schemaProblems(schema: Schema, value: unknown, root: unknown, at = '$'): string[] {
  const s = resolve(schema, root);
  const out: string[] = [];
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!types.some((t) => fitsType(t, value)) && !(s.nullable === true && value === null))
      return [`${at}: is ${typeOf(value)}, not ${types.join(' or ')}`];
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    out.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value))
    out.push(`${at}: is not ${JSON.stringify(s.const)}`);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key] as Schema[] | undefined;
    if (options && !options.some((o) => schemaProblems(o, value, root, at).length === 0))
      out.push(`${at}: fits none of its ${key} (${options.length})`);
  }
  for (const part of (s.allOf as Schema[] | undefined) ?? [])
    out.push(...schemaProblems(part, value, root, at));
  if (typeof value === 'string') {
    const n = [...value].length;
    if (typeof s.minLength === 'number' && n < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && n > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      out.push(`${at}: does not match ${s.pattern}`);
    if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) out.push(`${at}: is not a date-time`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) out.push(`${at}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      out.push(`${at}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      out.push(`${at}: more than ${s.maxItems} items`);
    if (s.items && typeof s.items === 'object')
      value.forEach((item, i) => {
        out.push(...schemaProblems(s.items as Schema, item, root, `${at}[${i}]`));
      });
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required as string[] | undefined) ?? [])
      if (!(key in object)) out.push(`${at}: lacks required ${key}`);
    for (const [key, v] of Object.entries(object)) {
      if (properties[key]) out.push(...schemaProblems(properties[key], v, root, `${at}.${key}`));
      else if (s.additionalProperties === false) out.push(`${at}: has ${key}, which it may not`);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object')
        out.push(...schemaProblems(s.additionalProperties as Schema, v, root, `${at}.${key}`));
    }
  }
  return out;
}

const WORDS = ['stolen', 'lost', 'police', 'regulator', 'operator:alpha', 'C-7K2M9Q', 'alpha', 'fuzz note'];
const IMEIS = ['352099001761481', '35209900176148', '356938035643809', '861234567890127'];

/** A value that (mostly) fits `schema`: what a client that read the document would send. */
export function generate(schema: Schema, r: Random, root: unknown, depth = 0): unknown {
  const s = resolve(schema, root);
  if (Array.isArray(s.enum) && s.enum.length > 0) return r.pick(s.enum);
  if ('const' in s) return s.const;
  const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (options?.length) return generate(r.pick(options), r, root, depth + 1);
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return generate(s.allOf[0] as Schema, r, root, depth + 1);
  const type = Array.isArray(s.type) ? r.pick(s.type as string[]) : (s.type as string | undefined);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return r.chance(0.5);
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 0;
      const max = typeof s.maximum === 'number' ? s.maximum : min + 1000;
      const n = min + r.int(Math.min(max - min, 1_000_000) + 1);
      return type === 'number' && r.chance(0.3) ? n + 0.5 : n;
    }
    case 'array': {
      if (depth > 4) return [];
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : min + 3, min + 3);
      return Array.from({ length: r.between(min, max) }, () =>
        generate((s.items ?? {}) as Schema, r, root, depth + 1),
      );
    }
    case 'object': {
      if (depth > 4) return {};
      const out: Record<string, unknown> = {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      for (const [key, p] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
        if (required.has(key) || r.chance(0.5)) out[key] = generate(p, r, root, depth + 1);
      return out;
    }
    default: {
      if (s.format === 'date-time')
        return new Date(Date.UTC(2026, r.int(24), r.between(1, 28))).toISOString();
      const max = typeof s.maxLength === 'number' ? s.maxLength : 40;
      const text = r.weighted<() => string>([
        [3, () => r.pick(IMEIS)],
        [3, () => r.pick(WORDS)],
        [1, () => r.digits(r.between(1, 16))],
        [1, () => randomText(r, 12)],
      ])();
      return text.slice(0, max);
    }
  }
}

/** A mutant of a generated value: a field dropped, a type changed, an extra field, a huge string. */
export function mutateValue(value: unknown, r: Random): unknown {
  const odd = () =>
    r.pick<unknown>([
      null,
      true,
      -1,
      0,
      1e308,
      -0.5,
      '',
      'x'.repeat(r.between(1, 70_000)),
      [],
      {},
      [null],
      { a: 1 },
    ]);
  if (value === null || typeof value !== 'object' || r.chance(0.1)) return odd();
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length > 0 && r.chance(0.5)) copy[r.int(copy.length)] = mutateValue(copy[r.int(copy.length)], r);
    else copy.push(odd());
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const kind = keys.length === 0 ? 'extra' : r.pick(['drop', 'change', 'deep', 'extra']);
  const key = r.pick(keys.length ? keys : ['x']);
  if (kind === 'drop') delete copy[key];
  else if (kind === 'change') copy[key] = odd();
  else if (kind === 'deep') copy[key] = mutateValue(copy[key], r);
  else copy[r.pick(['extra', '__proto__', 'constructor', ''])] = odd();
  return copy;
}
