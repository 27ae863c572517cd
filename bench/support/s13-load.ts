/**
 * The S13 load generator of bench/s13.ts, run in a process of its own: connections that exchange
 * capabilities (CER/CEA), then keep a window of ECRs in flight. ECRs are encoded once and copied with
 * their Hop-by-Hop and End-to-End ids patched; answers are matched by Hop-by-Hop id and read only as far
 * as Result-Code, Experimental-Result and Equipment-Status — so that the load costs far less than what
 * it measures.
 */
import net from 'node:net';
import { address, encodeMessage, grouped, u32, utf8 } from '../../src/protocols/diameter/codec.ts';
import { APP_S13, AVP, CMD, FLAG, RESULT, VENDOR_3GPP } from '../../src/protocols/diameter/dictionary.ts';
import { LatencyHistogram } from './figures.ts';
import { busy, type Request, usageNow } from './processes.ts';

/** The identities of the EIR under test and of the MMEs the load plays. */
export const EIR = { originHost: 'eir.openceir.localdomain', originRealm: 'openceir.localdomain' };
export const MME = {
  originHost: 'mme-bench.epc.mnc001.mcc001.3gppnetwork.org',
  originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
};
/** How long a round may wait for its last answers (and for connections and CEAs) before giving up. */
export const DRAIN_MS = 5_000;

export interface Equipment {
  readonly imei: string;
  readonly svn: string | null;
  readonly imsi: string;
}

export interface RunRequest extends Request {
  readonly port: number;
  readonly connections: number;
  readonly window: number;
  readonly seconds: number;
  readonly count: number;
  readonly equipment: readonly Equipment[];
}

export interface RunResult {
  readonly answered: number;
  readonly seconds: number;
  readonly latency: Uint32Array;
  /** Answers by outcome: `2001/<Equipment-Status>`, `5422`, or another Result-Code. */
  readonly outcomes: Record<string, number>;
  readonly problems: string[];
  readonly generatorBusy: number;
}

/** ECRs as MMEs send them (User-Name, Terminal-Information with IMEI and Software-Version), ids 0. */
export function ecrTemplates(equipment: readonly Equipment[]): Buffer[] {
  return equipment.map((e, i) => {
    const terminal = [utf8(AVP.imei, e.imei, { vendorId: VENDOR_3GPP })];
    if (e.svn !== null) terminal.push(utf8(AVP.softwareVersion, e.svn, { vendorId: VENDOR_3GPP }));
    return encodeMessage({
      flags: FLAG.request | FLAG.proxiable,
      command: CMD.meIdentityCheck,
      applicationId: APP_S13,
      hopByHop: 0,
      endToEnd: 0,
      avps: [
        utf8(AVP.sessionId, `${MME.originHost};1;${i}`),
        u32(AVP.authSessionState, 1),
        utf8(AVP.originHost, MME.originHost),
        utf8(AVP.originRealm, MME.originRealm),
        utf8(AVP.destinationRealm, EIR.originRealm),
        grouped(AVP.terminalInformation, terminal, { vendorId: VENDOR_3GPP }),
        utf8(AVP.userName, e.imsi),
      ],
    });
  });
}

export function cer(connection: number): Buffer {
  return encodeMessage({
    flags: FLAG.request,
    command: CMD.capabilitiesExchange,
    applicationId: 0,
    hopByHop: 0,
    endToEnd: 0,
    avps: [
      utf8(AVP.originHost, `mme${connection}.${MME.originRealm}`),
      utf8(AVP.originRealm, MME.originRealm),
      address(AVP.hostIpAddress, '127.0.0.1'),
      u32(AVP.vendorId, 0),
      utf8(AVP.productName, 'openceir-bench', { mandatory: false }),
      u32(AVP.supportedVendorId, VENDOR_3GPP),
      grouped(AVP.vendorSpecificApplicationId, [
        u32(AVP.vendorId, VENDOR_3GPP),
        u32(AVP.authApplicationId, APP_S13),
      ]),
    ],
  });
}

/**
 * Result-Code, Experimental-Result-Code and Equipment-Status of an answer, in one pass over its AVPs.
 * Experimental-Result is entered rather than skipped: its children end where it ends, so the pass
 * goes on with the next top-level AVP. (No closure here: tsx names every closure it creates.)
 */
export function outcomeOf(frame: Buffer): string {
  let result = -1;
  let experimental = -1;
  let status = -1;
  for (let p = 20; p + 8 <= frame.length; ) {
    const code = frame.readUInt32BE(p);
    const vendor = (frame[p + 4]! & 0x80) !== 0;
    const length = (frame[p + 5]! << 16) | (frame[p + 6]! << 8) | frame[p + 7]!;
    if (length < 8) break;
    const data = p + (vendor ? 12 : 8);
    if (code === AVP.experimentalResult && !vendor) {
      p = data;
      continue;
    }
    if (code === AVP.resultCode && !vendor) result = frame.readUInt32BE(data);
    else if (code === AVP.experimentalResultCode && !vendor) experimental = frame.readUInt32BE(data);
    else if (code === AVP.equipmentStatus && vendor) status = frame.readUInt32BE(data);
    p += (length + 3) & ~3;
  }
  if (result === RESULT.success) return `2001/${status}`;
  return String(result >= 0 ? result : experimental);
}

/** One connection: CER/CEA, then a window of ECRs in flight until stopped or the round's budget is spent. */
class LoadConnection {
  private readonly socket: net.Socket;
  private readonly sentAt: Float64Array;
  private readonly mask: number;
  private leftover: Buffer | null = null;
  private nextId = 1;
  private inFlight = 0;
  private open = false;
  private stopped = false;
  answered = 0;
  lastAnswerAt = 0;
  readonly problems = new Map<string, number>();
  readonly opened: Promise<void>;
  private onIdle: (() => void) | null = null;

  constructor(
    port: number,
    private readonly id: number,
    private readonly templates: readonly Buffer[],
    private readonly window: number,
    private readonly histogram: LatencyHistogram,
    private readonly outcomes: Map<string, number>,
    /** Takes up to n ECRs from the round's budget; returns how many may be sent. */
    private readonly take: (n: number) => number,
  ) {
    let size = 1;
    while (size < window * 2) size *= 2;
    this.sentAt = new Float64Array(size).fill(-1);
    this.mask = size - 1;
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.opened = new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => this.socket.write(cer(id)));
      this.socket.once('error', reject);
      this.socket.once('close', () => reject(new Error(`connection ${id} closed before its CEA`)));
      this.onIdle = resolve;
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.stopped = true;
      this.settle();
    });
    this.socket.on('data', (chunk) => this.receive(chunk));
  }

  private note(problem: string): void {
    this.problems.set(problem, (this.problems.get(problem) ?? 0) + 1);
  }

  private receive(chunk: Buffer): void {
    const now = performance.now();
    const bytes = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    let p = 0;
    while (bytes.length - p >= 20) {
      const length = bytes.readUInt32BE(p) & 0xffffff;
      if (length < 20) {
        this.note('unreadable header');
        this.socket.destroy();
        return;
      }
      if (bytes.length - p < length) break;
      this.frame(bytes.subarray(p, p + length), now);
      p += length;
    }
    this.leftover = p < bytes.length ? bytes.subarray(p) : null;
    this.fill(now);
  }

  private frame(frame: Buffer, now: number): void {
    if ((frame[4]! & FLAG.request) !== 0) {
      this.note(`request ${frame.readUIntBE(5, 3)} from the server`);
      return;
    }
    const command = frame.readUIntBE(5, 3);
    if (!this.open) {
      const outcome = outcomeOf(frame);
      if (command !== CMD.capabilitiesExchange || outcome.split('/')[0] !== '2001') {
        this.note(`CEA ${outcome}`);
        this.socket.destroy();
        return;
      }
      this.open = true;
      this.onIdle?.();
      this.onIdle = null;
      return;
    }
    const slot = frame.readUInt32BE(12) & this.mask;
    const sent = this.sentAt[slot]!;
    if (command !== CMD.meIdentityCheck || sent < 0) {
      this.note(`unexpected answer to command ${command}`);
      return;
    }
    this.sentAt[slot] = -1;
    this.inFlight -= 1;
    this.answered += 1;
    this.lastAnswerAt = now;
    this.histogram.record((now - sent) * 1000);
    const outcome = outcomeOf(frame);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** Starts the load (after the CEA). */
  start(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.onIdle = resolve;
    });
    this.fill(performance.now());
    return done;
  }

  stop(): void {
    this.stopped = true;
    this.settle();
  }

  private settle(): void {
    if (this.stopped && (this.inFlight === 0 || this.socket.destroyed)) {
      this.onIdle?.();
      this.onIdle = null;
    }
  }

  private fill(now: number): void {
    if (!this.open || this.socket.destroyed) return;
    const room = this.window - this.inFlight;
    const n = this.stopped ? 0 : this.take(room);
    if (n < room) this.stopped = true; // the round's budget is spent
    if (n === 0) {
      this.settle();
      return;
    }
    let bytes = 0;
    const first = this.nextId;
    for (let i = 0; i < n; i++) bytes += this.templates[(first + i) % this.templates.length]!.length;
    const out = Buffer.allocUnsafe(bytes);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const id = (this.id << 24) | (this.nextId++ & 0xffffff);
      const template = this.templates[(first + i) % this.templates.length]!;
      template.copy(out, offset);
      out.writeUInt32BE(id >>> 0, offset + 12);
      out.writeUInt32BE(id >>> 0, offset + 16);
      this.sentAt[id & this.mask] = now;
      offset += template.length;
    }
    this.inFlight += n;
    this.socket.write(out);
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function runLoad(request: RunRequest, generator: number): Promise<RunResult> {
  const templates = ecrTemplates(request.equipment);
  const histogram = new LatencyHistogram();
  const outcomes = new Map<string, number>();
  let budget = request.count > 0 ? request.count : Number.POSITIVE_INFINITY;
  const take = (n: number) => {
    const granted = Math.max(0, Math.min(n, budget));
    budget -= granted;
    return granted;
  };
  const connections: LoadConnection[] = [];
  try {
    for (let c = 0; c < request.connections; c++) {
      const id = (generator * request.connections + c) % 256;
      const from = (id * 97) % templates.length;
      const rotated = [...templates.slice(from), ...templates.slice(0, from)];
      connections.push(
        new LoadConnection(request.port, id, rotated, request.window, histogram, outcomes, take),
      );
    }
    await within(
      Promise.all(connections.map((c) => c.opened)),
      DRAIN_MS,
      'connections and capabilities exchange',
    );
    const before = usageNow();
    const running = Promise.all(connections.map((c) => c.start()));
    const stop = setTimeout(() => {
      for (const c of connections) c.stop();
    }, request.seconds * 1000);
    const drained = await within(running, request.seconds * 1000 + DRAIN_MS, 'the round').then(
      () => true,
      () => false,
    );
    clearTimeout(stop);
    const after = usageNow();
    const answered = connections.reduce((n, c) => n + c.answered, 0);
    const last = Math.max(...connections.map((c) => c.lastAnswerAt));
    const problems = connections.flatMap((c) => [...c.problems].map(([p, n]) => `${n} × ${p}`));
    if (!drained) problems.push(`answers still missing ${DRAIN_MS} ms after the end of the round`);
    return {
      answered,
      seconds: Math.max(1e-9, (last - before.wallMs) / 1000),
      latency: histogram.counts,
      outcomes: Object.fromEntries(outcomes),
      problems,
      generatorBusy: busy(before, after),
    };
  } finally {
    for (const c of connections) c.close();
  }
}

export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
