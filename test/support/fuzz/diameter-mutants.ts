/**
 * Mutated Diameter messages from the valid seeds (diameter-seeds.ts). Mutations work on the AVP tree
 * (duplicate, remove, reorder, flags, codes, vendors, values, nested Grouped corruption, unknown AVPs,
 * header flags, command and application) and then on the bytes (bit flips, byte sets, AVP and message
 * length lies, truncation, garbage, huge lengths). Mutant `index` of run `seed` is always the same bytes.
 */
import {
  APP_RELAY,
  APP_S13,
  AVP,
  AVP_FLAG,
  CMD,
  FLAG,
  VENDOR_3GPP,
} from '../../../src/protocols/diameter/dictionary.ts';
import { type Draft, encode, encodeAvps, insertUnknown, M, type Node, SEEDS, V } from './diameter-seeds.ts';
import { Random } from './random.ts';

export interface Mutant {
  readonly index: number;
  /** Seed name and mutations, for the reproducer. */
  readonly recipe: string;
  /** A CER meant to be the first message of a connection (wait-for-CER state). */
  readonly first: boolean;
  readonly bytes: Buffer;
}

// Structural mutations.

const clone = (node: Node): Node => ({ ...node, children: node.children?.map(clone) ?? null });

/** Every AVP in the tree with its sibling list, for mutations that may act at any depth. */
function places(avps: Node[], out: [Node[], number][] = []): [Node[], number][] {
  avps.forEach((node, i) => {
    out.push([avps, i]);
    if (node.children) places(node.children, out);
  });
  return out;
}

const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
].map((b) => Buffer.from(b));

function value(r: Random): Buffer {
  return r.weighted<() => Buffer>([
    [2, () => Buffer.alloc(0)],
    [3, () => r.bytes(r.int(24))],
    [2, () => Buffer.concat([Buffer.from(r.digits(r.int(16))), r.pick(INVALID_UTF8)])],
    [
      2,
      () =>
        Buffer.from(
          r.pick(['٣٥٢٠٩٩٠٠١٧٦١٤٨', '３５２０９９００１７６１４８', '\u200b35209900176148', '\0', ' ', '😀']),
        ),
    ],
    [2, () => Buffer.from(r.digits(r.pick([0, 1, 13, 14, 15, 16, 17, 40])))],
    [0.2, () => Buffer.alloc(r.between(1000, 60_000), r.pick([0, 0x31, 0xff]))],
  ])();
}

const STRUCTURAL: readonly (readonly [number, string, (r: Random, d: Draft) => void])[] = [
  [
    3,
    'dup',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      list.splice(i, 0, clone(list[i]!));
    },
  ],
  [
    3,
    'remove',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      list.splice(i, 1);
    },
  ],
  [
    2,
    'reorder',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      const j = r.int(list.length);
      [list[i], list[j]] = [list[j]!, list[i]!];
    },
  ],
  [
    3,
    'avp-flags',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      list[i]!.flags ^= r.pick([M, V, AVP_FLAG.protected, 0x10, 0x01, 0x1f]);
    },
  ],
  [
    2,
    'vendor',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      list[i]!.vendorId = r.pick([0, VENDOR_3GPP, r.next()]);
      list[i]!.flags |= r.chance(0.8) ? V : 0;
    },
  ],
  [
    2,
    'code',
    (r, d) => {
      const [list, i] = r.pick(places(d.avps));
      list[i]!.code = r.pick([list[i]!.code + 1, r.next(), AVP.sessionId, AVP.terminalInformation, AVP.imei]);
    },
  ],
  [
    5,
    'value',
    (r, d) => {
      const leaves = places(d.avps).filter(([l, i]) => l[i]!.children === null);
      if (leaves.length === 0) return;
      const [list, i] = r.pick(leaves);
      list[i]!.data = value(r);
    },
  ],
  [
    2,
    'ungroup',
    (r, d) => {
      // Grouped corruption: the children become bytes, and the bytes are damaged.
      const groups = places(d.avps).filter(([l, i]) => l[i]!.children !== null);
      if (groups.length === 0) return;
      const [list, i] = r.pick(groups);
      const node = list[i]!;
      const { bytes, headers } = encodeAvps(node.children!);
      node.children = null;
      node.data = bytes;
      if (bytes.length === 0) return;
      const at = r.pick(headers);
      r.weighted<() => void>([
        [
          2,
          () => {
            bytes[r.int(bytes.length)] = r.next() & 0xff;
          },
        ],
        [
          3,
          () =>
            void bytes.writeUIntBE(
              r.pick([0, 7, 8, 11, 12, 0xffffff, bytes.length - at + 4]) & 0xffffff,
              at + 5,
              3,
            ),
        ],
        [
          2,
          () => {
            node.data = bytes.subarray(0, r.int(bytes.length));
          },
        ],
      ])();
    },
  ],
  [2, 'unknown-avp', (r, d) => void insertUnknown(r, d)],
  [
    2,
    'header-flags',
    (r, d) => {
      d.flags ^= r.pick([FLAG.request, FLAG.proxiable, FLAG.error, FLAG.retransmit, 0x0f, 0x01]);
    },
  ],
  [
    1,
    'command',
    (r, d) => {
      d.command = r.pick([
        CMD.meIdentityCheck,
        CMD.deviceWatchdog,
        CMD.capabilitiesExchange,
        CMD.meIdentityCheck,
        CMD.disconnectPeer,
        r.int(0x1000000),
        316,
        318,
      ]);
    },
  ],
  [
    1,
    'application',
    (r, d) => {
      d.applicationId = r.pick([0, APP_S13, APP_RELAY, 16777251, r.next()]);
    },
  ],
];

// Byte mutations. `frame` ones keep the message length honest; the others may break framing.

const setLength = (b: Buffer) => (b.length >= 4 ? b.writeUIntBE(Math.min(b.length, 0xffffff), 1, 3) : 0);

const BYTES: readonly (readonly [number, string, (r: Random, b: Buffer, headers: number[]) => Buffer])[] = [
  [
    6,
    'bitflip',
    (r, b) => {
      for (let k = r.between(1, 4); k > 0; k--) {
        const at = r.chance(0.97) ? r.between(4, b.length - 1) : r.int(b.length);
        b[at]! ^= 1 << r.int(8);
      }
      return b;
    },
  ],
  [
    4,
    'byteset',
    (r, b) => {
      b[r.between(4, b.length - 1)] = r.pick([0, 0xff, 0x80, 0x7f, 0x01, 0x40, 0xc0, r.next() & 0xff]);
      return b;
    },
  ],
  [
    6,
    'avp-length',
    (r, b, headers) => {
      const at = headers.length > 0 ? r.pick(headers) : 20;
      if (at + 8 > b.length) return b;
      const length = b.readUIntBE(at + 5, 3);
      const rest = b.length - at;
      b.writeUIntBE(
        r.pick([
          0,
          1,
          7,
          8,
          11,
          12,
          13,
          length - 1,
          length + 1,
          length + 4,
          rest,
          rest + 1,
          0xffffff,
          r.int(0x1000000),
        ]) & 0xffffff,
        at + 5,
        3,
      );
      return b;
    },
  ],
  [
    3,
    'truncate',
    (r, b) => {
      const cut = b.subarray(0, Math.max(20, r.between(20, b.length - 1) & ~3));
      setLength(cut);
      return cut;
    },
  ],
  [
    2,
    'append',
    (r, b) => {
      const out = Buffer.concat([b, r.bytes(4 * r.between(1, 16))]);
      setLength(out);
      return out;
    },
  ],
  [
    1,
    'garbage',
    (r) => {
      const out = r.bytes(4 * r.between(5, 64));
      out[0] = 1;
      out[4] = (out[4]! | FLAG.request) & ~FLAG.error;
      setLength(out);
      return out;
    },
  ],
  [
    0.3,
    'huge-avp',
    (r, b) => {
      const big = Buffer.alloc(Math.max(8, Math.min(4 * r.between(1000, 16_300), 65_536 - b.length)));
      big.writeUInt32BE(r.next(), 0);
      big.writeUInt8(r.pick([0, M]), 4);
      big.writeUIntBE(big.length - r.pick([0, 1, 3]), 5, 3);
      const out = Buffer.concat([b, big]);
      setLength(out);
      return out;
    },
  ],
  // These break the framing: the server cannot know where the next message starts.
  [
    0.3,
    'message-length',
    (r, b) => {
      b.writeUIntBE(
        r.pick([0, 4, 19, b.length - 4, b.length + 4, b.length + 1, b.length - 1, 65_540, 0xffffff]) &
          0xffffff,
        1,
        3,
      );
      return b;
    },
  ],
  [
    0.2,
    'version',
    (r, b) => {
      b[0] = r.pick([0, 2, 0xff]);
      return b;
    },
  ],
  [0.2, 'cut', (r, b) => b.subarray(0, r.int(b.length))],
  [0.1, 'noise', (r) => r.bytes(r.between(1, 256))],
  [
    0.1,
    'huge-message',
    (_r, b) => {
      const out = Buffer.concat([b, Buffer.alloc(66_000)]);
      setLength(out);
      return out;
    },
  ],
];

const seedWeights = SEEDS.map(([w], i) => [w, i] as const);
const structural = STRUCTURAL.map((s) => [s[0], s] as const);
const bytewise = BYTES.map((s) => [s[0], s] as const);

/** Mutant `index` of the run seeded with `seed`; its Hop-by-Hop and End-to-End identifiers are `index`. */
export function diameterMutant(seed: number, index: number): Mutant {
  const r = new Random(seed, index, 1);
  // One in two hundred is a CER sent first on its own connection: the wait-for-CER state is fuzzed too.
  const first = r.chance(0.005);
  const seedIndex = first ? SEEDS.findIndex(([, name]) => name === 'cer') : r.weighted(seedWeights);
  const [, seedName, make] = SEEDS[seedIndex]!;
  const draft = make(r);
  const recipe = [seedName];
  for (
    let k = r.chance(0.1)
      ? 0
      : r.weighted([
          [5, 1],
          [3, 2],
          [1, 3],
        ]);
    k > 0;
    k--
  ) {
    // With no AVPs left, only an unknown AVP can be added.
    const [, name, mutate] =
      draft.avps.length === 0 ? STRUCTURAL.find((s) => s[1] === 'unknown-avp')! : r.weighted(structural);
    mutate(r, draft);
    recipe.push(name);
  }
  let { bytes, headers } = encode(draft);
  for (
    let k = r.chance(0.45)
      ? 0
      : r.weighted([
          [6, 1],
          [2, 2],
        ]);
    k > 0 && bytes.length >= 20;
    k--
  ) {
    const [, name, mutate] = r.weighted(bytewise);
    bytes = mutate(r, bytes, headers);
    recipe.push(name);
  }
  if (bytes.length >= 20) {
    bytes.writeUInt32BE(index >>> 0, 12);
    bytes.writeUInt32BE(index >>> 0, 16);
  }
  return { index, recipe: recipe.join('+'), first, bytes };
}
