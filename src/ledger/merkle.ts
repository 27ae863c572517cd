/**
 * RFC 9162 (and RFC 6962) Merkle tree hashing, proofs and proof verification. Pure: no I/O.
 *
 * Leaves hash as SHA-256(0x00 ‖ data), interior nodes as SHA-256(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at the largest power of two below n (RFC 9162 §2.1.1). Every range the recursion
 * visits is made of "perfect" subtrees (2^level leaves starting at a multiple of 2^level), so a store
 * only needs the hashes of perfect subtrees to answer any root or proof: `perfectNodes` names them.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of nothing (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(Buffer.of(0x00)).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n ≥ 2). Arithmetic, not bit operations: sizes may pass 2^32. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export type Range = readonly [start: number, end: number];

/** The perfect subtrees whose hashes make up MTH(D[start:end]), left to right. */
export function perfectNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let a = start;
  while (a < end) {
    const n = end - a;
    const size = isPowerOfTwo(n) ? n : splitPoint(n);
    if (a % size !== 0) throw new Error(`range [${start}, ${end}) is not one the RFC 9162 recursion visits`);
    nodes.push({ level: Math.log2(size), index: a / size });
    a += size;
  }
  return nodes;
}

/** MTH of a range from the hashes of its perfect subtrees (left to right): a right fold. */
export function foldNodes(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

/** The ranges whose roots form the inclusion proof of leaf `index` in a tree of `size` (RFC 6962 §2.1.1 PATH), leaf first. */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Range[] = [];
  let [a, b, m] = [0, size, index];
  while (b - a > 1) {
    const k = splitPoint(b - a);
    if (m < k) {
      path.push([a + k, b]);
      b = a + k;
    } else {
      path.push([a, a + k]);
      a += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** The ranges whose roots form the consistency proof from size `first` to size `second` (RFC 6962 §2.1.2 SUBPROOF). */
export function consistencyRanges(first: number, second: number): Range[] {
  if (!(first >= 0 && first <= second))
    throw new RangeError(`no consistency proof from ${first} to ${second}`);
  if (first === 0 || first === second) return [];
  const proof: Range[] = [];
  let [a, b, m, complete] = [0, second, first, true];
  while (m !== b - a) {
    const n = b - a;
    const k = splitPoint(n);
    if (m <= k) {
      proof.push([a + k, b]);
      b = a + k;
    } else {
      proof.push([a, a + k]);
      a += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push([a, b]);
  return proof.reverse();
}

const same = (x: Uint8Array, y: Uint8Array) => x.length === y.length && Buffer.compare(x, y) === 0;

/** RFC 9162 §2.1.3.2: does `proof` show the leaf with `hash` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  hash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    return false;
  if (hash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree of `first` with `firstRoot` is a prefix of the one of `second`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(second) && first >= 0 && first <= second))
    return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (first === second) return proof.length === 0 && same(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, firstRoot) && same(sr, secondRoot);
}

/**
 * The right edge of a growing tree (a "compact range"): the roots of the perfect subtrees that make
 * up [0, size), largest first. Appending a leaf merges equal-sized neighbours; each merge completes
 * a perfect subtree, which is returned so that a store can keep it for later proofs.
 */
export class Frontier {
  private readonly nodes: { level: number; hash: Hash }[];
  private count: number;

  constructor(size = 0, hashes: readonly Hash[] = []) {
    const ids = perfectNodes(0, size);
    if (ids.length !== hashes.length)
      throw new Error(`a frontier of size ${size} has ${ids.length} nodes, got ${hashes.length}`);
    this.nodes = ids.map((id, i) => ({ level: id.level, hash: hashes[i]! }));
    this.count = size;
  }

  get size(): number {
    return this.count;
  }

  /** The frontier's hashes, largest subtree first (what `new Frontier(size, hashes)` takes back). */
  hashes(): Hash[] {
    return this.nodes.map((n) => n.hash);
  }

  /** Adds a leaf hash; returns the perfect subtrees (level ≥ 1) it completed. */
  append(hash: Hash): (NodeId & { hash: Hash })[] {
    const completed: (NodeId & { hash: Hash })[] = [];
    const end = this.count + 1;
    let node = { level: 0, hash };
    while (this.nodes.length > 0 && this.nodes[this.nodes.length - 1]!.level === node.level) {
      const left = this.nodes.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
      // A subtree of 2^level leaves completed by leaf end−1 covers [end − 2^level, end).
      completed.push({ level: node.level, index: end / 2 ** node.level - 1, hash: node.hash });
    }
    this.nodes.push(node);
    this.count = end;
    return completed;
  }

  root(): Hash {
    return foldNodes(this.nodes.map((n) => n.hash));
  }
}

/** An in-memory tree over leaf hashes: the reference the stored tree and the verifier are tested against. */
export class MemoryTree {
  private readonly levels: Hash[][] = [[]];

  constructor(leafHashes: readonly Hash[] = []) {
    for (const hash of leafHashes) this.append(hash);
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  append(hash: Hash): void {
    this.levels[0]!.push(hash);
    let level = 0;
    let index = this.levels[0]!.length - 1;
    while (index % 2 === 1) {
      const below = this.levels[level]!;
      const parent = nodeHash(below[index - 1]!, below[index]!);
      level += 1;
      if (!this.levels[level]) this.levels[level] = [];
      this.levels[level]!.push(parent);
      index = Math.floor(index / 2);
    }
  }

  node(id: NodeId): Hash {
    const hash = this.levels[id.level]?.[id.index];
    if (!hash) throw new RangeError(`no node at level ${id.level} index ${id.index}`);
    return hash;
  }

  rangeHash([start, end]: Range): Hash {
    return foldNodes(perfectNodes(start, end).map((id) => this.node(id)));
  }

  root(size = this.size): Hash {
    return this.rangeHash([0, size]);
  }

  inclusionProof(index: number, size = this.size): Hash[] {
    return inclusionRanges(index, size).map((range) => this.rangeHash(range));
  }

  consistencyProof(first: number, second = this.size): Hash[] {
    return consistencyRanges(first, second).map((range) => this.rangeHash(range));
  }
}
