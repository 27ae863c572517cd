/**
 * The check index on disk (or on the wire): a header, then the typed arrays as they are in memory, so
 * that loading 100 M devices is one read and a few views, not a parse. Layout (all little-endian):
 *
 *   8 bytes  magic "OCEIRIX1"
 *   4 bytes  header length H, then H bytes of JSON: position, ledger frontier, reason sets, pairing
 *            sources, rules, overlay objects, and the byte length of each array that follows
 *   arrays   tacs (u32), offsets (u32), serials (u32), set ids (u16 or u32), since days (u16),
 *            pairing keys (f64), pairing IMSIs (f64), pairing source ids (u16), pairing since days (u16);
 *            each padded to 8 bytes
 */
import { open, readFile, rename } from 'node:fs/promises';
import type { ActiveReason, Pairing, Rule } from '../ledger/fold.ts';
import { CheckIndex } from './index.ts';
import { DeviceTable, PairingTable, type SlotTemplate } from './tables.ts';

const MAGIC = Buffer.from('OCEIRIX1');

interface Header {
  readonly position: number;
  readonly frontier: readonly string[];
  readonly createdAt: string;
  readonly sets: readonly (readonly SlotTemplate[])[];
  readonly wideSetIds: boolean;
  readonly sources: readonly string[];
  readonly rules: readonly Rule[];
  readonly deviceOverlay: readonly [number, readonly ActiveReason[]][];
  readonly pairingOverlay: readonly [string, Pairing | null][];
  readonly lengths: readonly number[];
}

type Typed = Uint32Array | Uint16Array | Float64Array;
const pad8 = (n: number) => (8 - (n % 8)) % 8;

/** The snapshot's bytes, as a list of buffers to write or send. */
export function serializeIndex(index: CheckIndex, frontier: readonly string[]): Buffer[] {
  const parts = index.parts();
  const d = parts.devices;
  const p = parts.pairings;
  const arrays: Typed[] = [
    d.tacs,
    d.offsets,
    d.snrs,
    d.setIds,
    d.sinceDays,
    p.keys,
    p.imsis,
    p.sourceIds,
    p.sinceDays,
  ];
  const header: Header = {
    position: parts.position,
    frontier,
    createdAt: new Date().toISOString(),
    sets: d.sets,
    wideSetIds: d.setIds instanceof Uint32Array,
    sources: p.sources,
    rules: [...parts.rules.values()],
    deviceOverlay: [...parts.deviceOverlay],
    pairingOverlay: [...parts.pairingOverlay],
    lengths: arrays.map((a) => a.byteLength),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  const head = Buffer.concat([MAGIC, length, json]);
  const out: Buffer[] = [head, Buffer.alloc(pad8(head.length))];
  for (const a of arrays) {
    out.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.alloc(pad8(a.byteLength)));
  }
  return out;
}

export function deserializeIndex(bytes: Buffer): {
  index: CheckIndex;
  frontier: string[];
  createdAt: string;
} {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC))
    throw new Error('not an OpenCEIR check-index snapshot');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Header;
  let offset = 12 + headerLength;
  offset += pad8(offset);
  // Typed-array views need aligned offsets: a buffer that does not start on 8 bytes is copied once.
  const base = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const views: Typed[] = [];
  const kinds = [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    header.wideSetIds ? Uint32Array : Uint16Array,
    Uint16Array,
    Float64Array,
    Float64Array,
    Uint16Array,
    Uint16Array,
  ];
  header.lengths.forEach((byteLength, i) => {
    const Kind = kinds[i]!;
    if (offset + byteLength > base.length) throw new Error('the snapshot is truncated');
    views.push(
      new Kind(base.buffer as ArrayBuffer, base.byteOffset + offset, byteLength / Kind.BYTES_PER_ELEMENT),
    );
    offset += byteLength + pad8(byteLength);
  });
  const [tacs, offsets, snrs, setIds, sinceDays, keys, imsis, sourceIds, pSince] = views as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint16Array | Uint32Array,
    Uint16Array,
    Float64Array,
    Float64Array,
    Uint16Array,
    Uint16Array,
  ];
  const index = new CheckIndex({
    position: header.position,
    devices: new DeviceTable(tacs, offsets, snrs, setIds, sinceDays, header.sets),
    pairings: new PairingTable(keys, imsis, sourceIds, pSince, header.sources),
    rules: new Map(header.rules.map((r) => [r.key, r])),
    deviceOverlay: new Map(header.deviceOverlay),
    pairingOverlay: new Map(header.pairingOverlay),
  });
  return { index, frontier: [...header.frontier], createdAt: header.createdAt };
}

/** Writes a snapshot atomically (a crash leaves the previous one whole). */
export async function writeSnapshot(
  file: string,
  index: CheckIndex,
  frontier: readonly string[],
): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    for (const part of serializeIndex(index, frontier)) await handle.write(part);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

export async function readSnapshot(
  file: string,
): Promise<{ index: CheckIndex; frontier: string[]; createdAt: string }> {
  return deserializeIndex(await readFile(file));
}
