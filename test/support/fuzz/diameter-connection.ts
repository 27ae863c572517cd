/**
 * One TCP connection of the Diameter fuzzer: it sends, frames what comes back (with the oracle's
 * framing, not the codec under test), decodes every answer with our codec, matches it to the request
 * due next and holds it to the oracle; the server's own DWR and DPR are answered like a peer would.
 */
import net from 'node:net';
import {
  DecodeError,
  decodeMessage,
  encodeMessage,
  find,
  MAX_MESSAGE_LENGTH,
  type Message,
  u32,
} from '../../../src/protocols/diameter/codec.ts';
import { AVP, CMD, FLAG } from '../../../src/protocols/diameter/dictionary.ts';
import type { Mutant } from './diameter-mutants.ts';
import { type Answerable, answerProblem, type Expectation, frameStream } from './diameter-oracle.ts';
import { origin, type Probe, probeProblem } from './diameter-probes.ts';
import type { FuzzReport } from './report.ts';

export interface Pending {
  readonly expectation: Answerable;
  /** The mutant, or the probe this answer is for. */
  readonly mutant: Mutant | null;
  readonly probe: Probe | null;
}

export type Settled = 'answered' | 'closed' | 'timeout';

/** One TCP connection to the server, with the answers it still waits for, in order. */
export class Connection {
  private readonly socket: net.Socket;
  private buffered = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private next = 0;
  private wake: (() => void) | null = null;
  closed = false;
  readonly ready: Promise<boolean>;

  constructor(
    port: number,
    private readonly report: FuzzReport,
  ) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve) => {
      this.socket.once('connect', () => resolve(true));
      this.socket.once('error', () => resolve(false));
    });
    this.socket.on('error', () => {});
    this.socket.on('end', () => this.socket.destroy());
    this.socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  get unanswered(): Pending[] {
    return this.pending.slice(this.next);
  }

  expect(expectations: readonly Expectation[], mutant: Mutant | null, probe: Probe | null = null): void {
    for (const expectation of expectations)
      if (expectation.kind === 'answer') this.pending.push({ expectation, mutant, probe });
  }

  send(bytes: Buffer, end: boolean): void {
    if (this.socket.destroyed) return;
    this.socket.write(bytes);
    if (end) this.socket.end();
  }

  /** Waits until every expected answer arrived (and, with `untilClosed`, the close), or the timeout. */
  settle(untilClosed: boolean, timeoutMs: number): Promise<Settled> {
    const state = (): Settled | null =>
      this.closed ? 'closed' : !untilClosed && this.next === this.pending.length ? 'answered' : null;
    const now = state();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve('timeout');
      }, timeoutMs);
      this.wake = () => {
        const s = state();
        if (!s) return;
        clearTimeout(timer);
        this.wake = null;
        resolve(s);
      };
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private violation(what: string, pending: Pending | null, answer?: Buffer): void {
    const mutant = pending?.mutant ?? null;
    this.report.violation({
      area: 'diameter',
      what,
      index: mutant?.index ?? null,
      input: [
        (mutant?.bytes ?? pending?.probe?.bytes)?.toString('hex') ?? '',
        answer ? `answer ${answer.toString('hex')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ...(mutant ? { recipe: mutant.recipe } : {}),
    });
  }

  private receive(chunk: Buffer): void {
    // Framed by the oracle, not by the codec under test.
    const bytes = this.buffered.length > 0 ? Buffer.concat([this.buffered, chunk]) : chunk;
    // Answers may be as long as RFC 6733 allows (2^24 - 1); longer than the server accepts is noted.
    const { frames, end } = frameStream(bytes, 0xffffff);
    let used = 0;
    for (const frame of frames) used += frame.length;
    this.buffered = Buffer.from(bytes.subarray(used));
    for (const frame of frames) {
      if (frame.length > MAX_MESSAGE_LENGTH) this.report.count('diameter answers over 64 KiB');
      this.answer(frame);
    }
    if (end === 'unframeable') {
      this.violation('the server sent bytes that are not a Diameter message', null, this.buffered);
      this.socket.destroy();
    }
    this.wake?.();
  }

  private answer(frame: Buffer): void {
    let message: Message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.violation(
        `an answer our codec cannot decode: ${error.message}`,
        this.pending[this.next] ?? null,
        frame,
      );
      return;
    }
    if (message.flags & FLAG.request) {
      // The server's own watchdog or disconnect: answer it like a peer would.
      if (message.command === CMD.deviceWatchdog || message.command === CMD.disconnectPeer)
        this.send(
          encodeMessage({ ...message, flags: 0, avps: [u32(AVP.resultCode, 2001), ...origin()] }),
          false,
        );
      return;
    }
    const expected = this.pending[this.next];
    if (!expected) {
      this.violation(`an answer (hop-by-hop ${message.hopByHop}) to no request`, null, frame);
      return;
    }
    if (message.hopByHop !== expected.expectation.hopByHop) {
      this.violation(
        `an answer with hop-by-hop ${message.hopByHop} where ${expected.expectation.hopByHop} was due`,
        expected,
        frame,
      );
      this.socket.destroy();
      return;
    }
    this.next++;
    this.report.count('diameter answers');
    const code = find(message.avps, AVP.resultCode)?.data;
    this.report.count(`diameter answers ${code?.length === 4 ? code.readUInt32BE(0) : 'experimental'}`);
    const problem =
      answerProblem(frame, expected.expectation) ??
      (expected.probe ? probeProblem(message, expected.probe.status) : null);
    if (problem) this.violation(problem, expected, frame);
  }
}
