/**
 * Sightings: every check that meets a blocked or tracked device is evidence (who used it, with which
 * SIM, on which network, when). They are written ahead to a log file on the node's disk before the
 * answer leaves the process (one append for all the checks of an event-loop turn, no fsync wait), so
 * that a crash of the node loses none; a shipper then sends them in batches to the registry and
 * remembers how far it got. Shipping is idempotent: each sighting has a unique id.
 */
import {
  close,
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { CheckResult } from './check.ts';

export type Protocol = 'n5g-eir' | 's13' | 'rest' | 'bulk';

export interface Sighting {
  readonly id: string;
  readonly time: string;
  readonly deviceKey: string | null;
  readonly equipment: string;
  readonly svn: string | null;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly status: string;
  readonly matched: string;
  readonly reasons: readonly string[];
  readonly protocol: Protocol;
  readonly node: string;
  readonly peer: string | null;
  readonly network: string | null;
  readonly location: string | null;
}

export interface SightingContext {
  readonly protocol: Protocol;
  readonly equipment: string;
  readonly peer?: string | null;
  readonly network?: string | null;
  readonly location?: string | null;
}

export interface RecorderOptions {
  readonly dir: string;
  readonly node: string;
  /** Record every check, not only those that meet a blocked or tracked device. */
  readonly recordAll?: boolean;
  /** Sends a batch; resolves when it is stored (a rejection is retried later). */
  readonly ship?: (batch: readonly Sighting[]) => Promise<void>;
  /**
   * Sends a batch as the log holds it, one sighting in JSON per line, so the node need not parse what
   * it only forwards (a check node to its registry). Used instead of `ship` when given.
   */
  readonly shipLines?: (lines: readonly string[]) => Promise<void>;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  /** A segment is closed and a new one begun past this size. */
  readonly segmentBytes?: number;
  /**
   * A segment shipped to its end is closed and deleted once it is this old (default a minute), so that
   * sightings (IMSI, MSISDN) stay on the node's disk only until the registry has stored them.
   */
  readonly holdMs?: number;
  readonly onError?: (error: unknown) => void;
}

const CURSOR = 'shipped.json';
/** The most of a segment read into memory at once to ship. */
const READ_BYTES = 4 * 1024 * 1024;

function readFrom(file: string, offset: number, length: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
const segmentName = (n: number) => `sightings-${String(n).padStart(10, '0')}.log`;

interface Cursor {
  segment: number;
  offset: number;
}

export class SightingRecorder {
  private readonly dir: string;
  private readonly started = Date.now();
  private counter = 0;
  private segment: number;
  private fd: number;
  private written = 0;
  private openedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private shipping: Promise<void> | null = null;
  private shippedCount = 0;
  private failures = 0;
  private pending: string[] = [];
  private waiting: (() => void)[] = [];
  private lastMs = Number.NaN;
  private lastIso = '';
  private scheduled = false;

  constructor(private readonly options: RecorderOptions) {
    if (!options.ship && !options.shipLines) throw new Error('a sighting recorder needs ship or shipLines');
    this.dir = options.dir;
    mkdirSync(this.dir, { recursive: true });
    // Never append to a segment a crash may have torn: start a new one.
    this.segment = Math.max(0, ...this.segments()) + 1;
    this.fd = openSync(path.join(this.dir, segmentName(this.segment)), 'a');
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .map((f) => /^sightings-(\d{10})\.log$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Whether a check with this answer is recorded. */
  wants(result: CheckResult): boolean {
    return this.options.recordAll === true || result.status === 'blocked' || result.status === 'tracked';
  }

  /** Writes the sighting ahead to disk (one append) and returns it; the shipper sends it later. */
  record(result: CheckResult, context: SightingContext, time = new Date()): Sighting | null {
    if (!this.wants(result)) return null;
    const reasons: string[] = [];
    for (const r of result.reasons) reasons.push(r.code);
    const sighting: Sighting = {
      id: `${this.options.node}-${this.started}-${++this.counter}`,
      time: this.iso(time),
      deviceKey: result.deviceKey,
      equipment: context.equipment.slice(0, 64),
      svn: result.svn,
      imsi: result.imsi,
      msisdn: result.msisdn,
      status: result.status,
      matched: result.matched,
      reasons,
      protocol: context.protocol,
      node: this.options.node,
      peer: context.peer ?? null,
      network: context.network ?? null,
      location: context.location ?? null,
    };
    this.pending.push(`${JSON.stringify(sighting)}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushing);
    }
    return sighting;
  }

  /** The ISO time of a date; the same millisecond is formatted once. */
  private iso(time: Date): string {
    const ms = time.getTime();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = time.toISOString();
    }
    return this.lastIso;
  }

  /**
   * Runs `answer` once every sighting recorded so far is in the log: at once when none waits, else
   * right after the next write. Protocols send the answer of a check that recorded a sighting this way,
   * so that no answer leaves before its sighting is written (a crash then loses none), while a burst
   * of checks costs one write, not one per check.
   */
  afterWrite(answer: () => void): void {
    if (this.pending.length === 0) answer();
    else this.waiting.push(answer);
  }

  /** Writes the sightings recorded so far to the log in one write, then releases the answers waiting. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.written += writeSync(this.fd, text);
    if (this.written >= (this.options.segmentBytes ?? 16 * 1024 * 1024)) this.rotate();
    const answers = this.waiting;
    this.waiting = [];
    for (const answer of answers) answer();
  }

  private readonly flushing = () => this.flush();

  private rotate(): void {
    // The full segment reaches the disk in the background; the next one is open at once.
    const full = this.fd;
    fsync(full, () => close(full, () => {}));
    this.segment += 1;
    this.fd = openSync(path.join(this.dir, segmentName(this.segment)), 'a');
    this.written = 0;
    this.openedAt = Date.now();
  }

  /**
   * Closes and deletes the segment being written when every line in it has been shipped and it is older
   * than `holdMs`. Synchronous from the flush to the cursor: no sighting can be written in between.
   */
  private dropShipped(): void {
    this.flush();
    if (this.written === 0 || Date.now() - this.openedAt < (this.options.holdMs ?? 60_000)) return;
    const at = this.readCursor();
    const file = path.join(this.dir, segmentName(this.segment));
    if (at.segment !== this.segment || at.offset !== statSync(file).size) return;
    this.rotate();
    rmSync(file);
    this.writeCursor({ segment: this.segment, offset: 0 });
  }

  private readCursor(): Cursor {
    const file = path.join(this.dir, CURSOR);
    if (!existsSync(file)) return { segment: 0, offset: 0 };
    return JSON.parse(readFileSync(file, 'utf8')) as Cursor;
  }

  private writeCursor(cursor: Cursor): void {
    const file = path.join(this.dir, CURSOR);
    writeFileSync(`${file}.tmp`, JSON.stringify(cursor));
    renameSync(`${file}.tmp`, file);
  }

  /**
   * Sends whole lines of the log; returns how many. Every line that ends in a newline is whole (a
   * crash can only cut the last one, which has none), so lines are forwarded as they are; parsing
   * skips one that is not JSON anyway.
   */
  private async send(lines: readonly string[]): Promise<number> {
    if (this.options.shipLines) {
      const whole = lines.filter((l) => l.startsWith('{') && l.endsWith('}'));
      if (whole.length > 0) await this.options.shipLines(whole);
      return whole.length;
    }
    const batch: Sighting[] = [];
    for (const line of lines) {
      try {
        batch.push(JSON.parse(line) as Sighting);
      } catch {
        // Not a sighting (a damaged line): nothing to ship.
      }
    }
    if (batch.length > 0) await this.options.ship?.(batch);
    return batch.length;
  }

  /** Sends what is written and not yet shipped, oldest first; returns how many were sent. */
  async shipPending(): Promise<number> {
    this.flush();
    if (this.shipping) await this.shipping;
    let sent = 0;
    const run = async () => {
      const batchSize = this.options.batchSize ?? 5_000;
      const from = this.readCursor();
      for (const segment of this.segments()) {
        if (segment < from.segment) continue;
        const file = path.join(this.dir, segmentName(segment));
        let cursor: Cursor = { segment, offset: segment === from.segment ? from.offset : 0 };
        const size = statSync(file).size;
        while (cursor.offset < size) {
          const text = readFrom(file, cursor.offset, Math.min(size - cursor.offset, READ_BYTES));
          if (text.lastIndexOf('\n') < 0) break;
          // A line without its newline was torn by a crash (or is being written): not yet.
          const lines = text
            .slice(0, text.lastIndexOf('\n') + 1)
            .split('\n')
            .filter((l) => l !== '');
          for (let i = 0; i < lines.length; i += batchSize) {
            const chunk = lines.slice(i, i + batchSize);
            const count = await this.send(chunk);
            let bytes = 0;
            for (const line of chunk) bytes += Buffer.byteLength(line) + 1;
            cursor = { segment, offset: cursor.offset + bytes };
            this.writeCursor(cursor);
            sent += count;
            // Checks go on between batches: parsing a backlog must not hold the event loop.
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        // A segment no one writes any more is done once shipped, even if it ends with a torn line.
        if (segment < this.segment) {
          rmSync(file);
          this.writeCursor({ segment: segment + 1, offset: 0 });
        }
      }
      this.dropShipped();
    };
    this.shipping = run().finally(() => {
      this.shipping = null;
    });
    await this.shipping;
    this.shippedCount += sent;
    return sent;
  }

  start(): void {
    const interval = this.options.intervalMs ?? 200;
    const tick = () => {
      this.shipPending()
        .then(() => {
          this.failures = 0;
        })
        .catch((error: unknown) => {
          this.failures += 1;
          this.options.onError?.(error);
        })
        .finally(() => {
          // Back off while the registry is unreachable: sightings wait safely on disk.
          if (this.timer !== undefined)
            this.timer = setTimeout(tick, interval * Math.min(2 ** this.failures, 50));
        });
    };
    this.timer = setTimeout(tick, interval);
  }

  get shipped(): number {
    return this.shippedCount;
  }

  /** Stops the shipper after one last attempt (bounded by `timeoutMs`), and closes the log. */
  async close(timeoutMs = 5_000): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    this.flush();
    fsyncSync(this.fd);
    await Promise.race([
      this.shipPending().catch(() => 0),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
    closeSync(this.fd);
  }
}
