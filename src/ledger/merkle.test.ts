import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyRanges,
  EMPTY_ROOT,
  Frontier,
  type Hash,
  inclusionRanges,
  leafHash,
  MemoryTree,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

// The Certificate Transparency reference vectors (RFC 6962 test data, as published with
// transparency-dev/merkle and certificate-transparency-go): eight leaves, the root of each prefix.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// Inclusion vectors: 1-based leaf number, tree size, proof.
const INCLUSION: [number, number, string[]][] = [
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    2,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

const reference = new MemoryTree(LEAVES.map(leafHash));

describe('RFC 6962 reference vectors', () => {
  it('the empty root is SHA-256 of nothing', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(new MemoryTree().root())).toBe(hex(EMPTY_ROOT));
  });

  it.each(ROOTS.map((root, i) => [i + 1, root] as const))('root of the first %i leaves', (size, root) => {
    expect(hex(reference.root(size))).toBe(root);
  });

  it.each(INCLUSION)('inclusion proof of leaf %i in size %i', (leaf, size, proof) => {
    expect(reference.inclusionProof(leaf - 1, size).map(hex)).toEqual(proof);
    expect(
      verifyInclusion(leafHash(LEAVES[leaf - 1]!), leaf - 1, size, proof.map(unhex), unhex(ROOTS[size - 1]!)),
    ).toBe(true);
  });

  it.each(CONSISTENCY)('consistency proof from %i to %i', (first, second, proof) => {
    expect(reference.consistencyProof(first, second).map(hex)).toEqual(proof);
    expect(
      verifyConsistency(first, second, unhex(ROOTS[first - 1]!), unhex(ROOTS[second - 1]!), proof.map(unhex)),
    ).toBe(true);
  });
});

const some = createHash('sha256').update('some').digest();

describe('verifiers reject what is wrong (the corruptions of the reference test suites)', () => {
  it.each(INCLUSION)('inclusion %i/%i', (leaf, size, proofHex) => {
    const proof = proofHex.map(unhex);
    const root = unhex(ROOTS[size - 1]!);
    const hash = leafHash(LEAVES[leaf - 1]!);
    const i = leaf - 1;
    const probes: [Uint8Array, number, number, Uint8Array[], Uint8Array][] = [
      [hash, i - 1, size, proof, root],
      [hash, i + 1, size, proof, root],
      [hash, i ^ 2, size, proof, root],
      [hash, i, size * 2, proof, root],
      [hash, i, Math.floor(size / 2), proof, root],
      [Buffer.from('WrongLeaf'), i, size, proof, root],
      [hash, i, size, proof, EMPTY_ROOT],
      [hash, i, size, proof, some],
      [hash, i, size, [...proof, Buffer.alloc(0)], root],
      [hash, i, size, [...proof, root], root],
      [hash, i, size, [Buffer.alloc(0), ...proof], root],
      [hash, i, size, [root, ...proof], root],
      [hash, i, size, proof.slice(0, -1), root],
      ...proof.map((_, k): [Uint8Array, number, number, Uint8Array[], Uint8Array] => {
        const wrong = proof.map((p) => Buffer.from(p));
        wrong[k]![0]! ^= 8;
        return [hash, i, size, wrong, root];
      }),
    ];
    for (const [h, index, n, p, r] of probes) expect(verifyInclusion(h, index, n, p, r)).toBe(false);
  });

  it.each(CONSISTENCY.filter(([, , p]) => p.length > 0))('consistency %i→%i', (first, second, proofHex) => {
    const proof = proofHex.map(unhex);
    const r1 = unhex(ROOTS[first - 1]!);
    const r2 = unhex(ROOTS[second - 1]!);
    const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
      [first - 1, second, r1, r2, proof],
      [first + 1, second, r1, r2, proof],
      [first ^ 2, second, r1, r2, proof],
      [first, second * 2, r1, r2, proof],
      [first, Math.floor(second / 2), r1, r2, proof],
      [first, second, Buffer.from('WrongRoot'), r2, proof],
      [first, second, r1, Buffer.from('WrongRoot'), proof],
      [first, second, r2, r1, proof],
      [first, second, r1, r2, []],
      [first, second, r1, r2, [...proof, Buffer.alloc(0)]],
      [first, second, r1, r2, [...proof, r1]],
      [first, second, r1, r2, [...proof, r2]],
      [first, second, r1, r2, [Buffer.alloc(0), ...proof]],
      [first, second, r1, r2, [r1, ...proof]],
      [first, second, r1, r2, [r2, ...proof]],
      [first, second, r1, r2, [proof[0]!, ...proof]],
      [first, second, r1, r2, proof.slice(0, -1)],
      ...proof.map((_, k): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => {
        const wrong = proof.map((p) => Buffer.from(p));
        wrong[k]![0]! ^= 16;
        return [first, second, r1, r2, wrong];
      }),
    ];
    for (const [a, b, x, y, p] of probes) expect(verifyConsistency(a, b, x, y, p)).toBe(false);
  });

  it('trivial cases', () => {
    expect(verifyConsistency(0, 5, EMPTY_ROOT, some, [])).toBe(true);
    expect(verifyConsistency(3, 3, some, some, [])).toBe(true);
    expect(verifyConsistency(3, 3, some, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(3, 2, some, some, [some])).toBe(false);
    expect(verifyInclusion(some, 0, 1, [], some)).toBe(true);
    expect(verifyInclusion(some, 0, 0, [], some)).toBe(false);
  });
});

describe('every proof of every tree up to 70 leaves', () => {
  const leaves = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
  const tree = new MemoryTree(leaves);

  it('inclusion and consistency proofs verify; the frontier agrees with the tree', () => {
    const frontier = new Frontier();
    const completed = new Map<string, Hash>();
    for (let n = 1; n <= leaves.length; n++) {
      for (const node of frontier.append(leaves[n - 1]!))
        completed.set(`${node.level}/${node.index}`, node.hash);
      const root = tree.root(n);
      expect(hex(frontier.root())).toBe(hex(root));
      // Restoring a frontier from its hashes gives the same root.
      expect(hex(new Frontier(n, frontier.hashes()).root())).toBe(hex(root));
      for (let i = 0; i < n; i++)
        expect(verifyInclusion(leaves[i]!, i, n, tree.inclusionProof(i, n), root)).toBe(true);
      for (let m = 0; m <= n; m++)
        expect(verifyConsistency(m, n, tree.root(m), root, tree.consistencyProof(m, n))).toBe(true);
    }
    // Every perfect subtree the frontier reported is the tree's own node.
    for (const [key, hash] of completed) {
      const [level, index] = key.split('/').map(Number) as [number, number];
      expect(hex(tree.node({ level, index }))).toBe(hex(hash));
    }
  });

  it('proof sizes are logarithmic', () => {
    expect(inclusionRanges(0, 70)).toHaveLength(7);
    expect(consistencyRanges(33, 70).length).toBeLessThanOrEqual(2 * 7);
  });

  it('a random bit flip anywhere in a random proof is caught', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 70 }),
        fc.nat(),
        fc.nat(),
        fc.nat(255),
        (n, iSeed, kSeed, bit) => {
          const i = iSeed % n;
          const proof = tree.inclusionProof(i, n).map((p) => Buffer.from(p));
          fc.pre(proof.length > 0);
          const k = kSeed % proof.length;
          proof[k]![bit % 32]! ^= 1 << (bit % 8);
          expect(verifyInclusion(leaves[i]!, i, n, proof, tree.root(n))).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('nodeHash is domain-separated from leafHash', () => {
    const a = leafHash(Buffer.from('a'));
    expect(hex(nodeHash(a, a))).not.toBe(hex(leafHash(Buffer.concat([a, a]))));
  });
});
