/** What a fuzz run found: counters by outcome, and every violation with what reproduces it. */

export interface Violation {
  /** `diameter`, `n5g-eir`, `check`, `target` (the server process itself), or a parser fuzzer: `smpp`, `csv`, `yaml`, `http`. */
  readonly area: string;
  readonly what: string;
  /** The input index (with the run seed, it regenerates the input); null for run-level failures. */
  readonly index: number | null;
  /** The input: hex for Diameter bytes, JSON for a query. */
  readonly input?: string;
  /** How the input was made (seed message and mutations). */
  readonly recipe?: string;
}

const KEPT = 50;
/** The in-process parser fuzzers (parser-run.ts), each replayed by its own option. */
const PARSER_AREAS = ['smpp', 'csv', 'yaml', 'http'];

export class FuzzReport {
  readonly counts = new Map<string, number>();
  readonly violations: Violation[] = [];
  violationCount = 0;

  constructor(readonly seed: number) {}

  count(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  violation(v: Violation): void {
    this.violationCount++;
    this.count(`violation ${v.area}: ${v.what.replace(/[0-9]+/g, 'N')}`);
    if (this.violations.length < KEPT) this.violations.push(v);
  }

  /** The reproducer of one violation, as printed. */
  describe(v: Violation): string {
    const lines = [`[${v.area}] ${v.what}`];
    if (v.index !== null) {
      lines.push(`  seed ${this.seed}, index ${v.index}${v.recipe ? ` (${v.recipe})` : ''}`);
      const again =
        v.area === 'diameter'
          ? `--diameter 1 --diameter-from ${v.index} --pei 0`
          : PARSER_AREAS.includes(v.area)
            ? `--diameter 0 --pei 0 --${v.area} 1 --${v.area}-from ${v.index}`
            : `--diameter 0 --pei 1 --pei-from ${v.index} --http-every 1`;
      lines.push(`  again: npx tsx scripts/fuzz.ts --seed ${this.seed} ${again}`);
    }
    if (v.input !== undefined)
      lines.push(
        `  input ${v.input.length > 4096 ? `${v.input.slice(0, 4096)}… (${v.input.length} chars)` : v.input}`,
      );
    return lines.join('\n');
  }
}
