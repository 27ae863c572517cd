/**
 * OpenCEIR as an ESME (SMPP v3.4): one bind_transceiver session to the operator's SMSC, kept alive
 * with enquire_link, re-established with bounded exponential backoff whenever it drops.
 *
 * - Every deliver_sm is answered with deliver_sm_resp at once (§4.6.2), before any work: an SMSC that
 *   waits for a late answer re-sends and, past its window, throttles the bind.
 * - Delivery receipts (§5.2.12) and mobile-originated texts are told apart by esm_class; concatenated
 *   MO parts are put back together before they reach the channel.
 * - A request without an answer in `responseTimeoutMs` fails; an enquire_link without one means a dead
 *   link (§4.11), so the socket is dropped and the reconnect loop takes over.
 */
import smpp from 'smpp';
import { concatInfo, Reassembler } from './concat.ts';
import { planMessage } from './encoding.ts';
import { internationalDigits } from './language.ts';
import { isReceipt, parseReceipt, type Receipt } from './receipt.ts';

export interface EsmeOptions {
  /** smpp://host:port */
  readonly url: string;
  readonly systemId: string;
  readonly password: string;
  readonly systemType?: string;
  /** Our source address: the short code people write to. */
  readonly shortCode: string;
  readonly enquireLinkMs?: number;
  readonly responseTimeoutMs?: number;
  /** First reconnect delay; doubled after each failed attempt up to `reconnectMaxMs`. */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  readonly onMessage?: (message: IncomingSms) => void;
  readonly onReceipt?: (receipt: Receipt) => void;
  readonly onStateChange?: (state: EsmeState, detail?: string) => void;
}

export interface IncomingSms {
  /** Sender's number: `+` and digits when the SMSC marks it international (TON 1), else as given. */
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export type EsmeState = 'connecting' | 'bound' | 'down' | 'closed';

/** An SMPP failure: `code` is the command_status name (SMPP v3.4 §5.1.3) or ours. */
export class SmppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SmppError';
  }
}

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, value]) => [value, name]));
const statusName = (status: number) =>
  STATUS_NAMES.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;

/** TON/NPI (SMPP v3.4 §5.2.5–6): a short code is network-specific, a number is international E.164. */
function addressOf(address: string): { ton: number; npi: number; addr: string } {
  const digits = internationalDigits(address);
  const shortCode = /^[0-9]{3,8}$/.test(digits) && !address.startsWith('+');
  return shortCode ? { ton: 3, npi: 0, addr: digits } : { ton: 1, npi: 1, addr: digits };
}

export class Esme {
  private session: smpp.Session | null = null;
  private current: EsmeState = 'down';
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private closing = false;
  private reference = Math.floor(Math.random() * 256);
  private readonly reassembler = new Reassembler();
  /** Rejecters of requests waiting for an answer on the current session. */
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly boundWaiters = new Set<{ resolve(): void; reject(error: Error): void }>();
  private lastProblem: string | undefined;

  constructor(private readonly options: EsmeOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'smpp:' || !url.hostname) {
      throw new Error(`sms.smsc_url: "${options.url}" is not smpp://host:port`);
    }
  }

  get state(): EsmeState {
    return this.current;
  }

  /** Why the last bind or connection failed (e.g. ESME_RINVPASWD), for health and tests. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  start(): this {
    this.closing = false;
    if (!this.session && !this.retry) this.connect();
    return this;
  }

  /** Resolves when bound; rejects after `timeoutMs`, or at once when the SMSC refuses the bind. */
  whenBound(timeoutMs: number): Promise<void> {
    if (this.current === 'bound') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.boundWaiters.delete(waiter);
        reject(
          new SmppError('not-bound', `not bound after ${timeoutMs} ms: ${this.lastProblem ?? 'no answer'}`),
        );
      }, timeoutMs);
      this.boundWaiters.add(waiter);
    });
  }

  /**
   * Sends `text` to `to` from the short code, in as many parts as it needs; resolves with the SMSC
   * message id of each part (submit_sm_resp, §4.4.2).
   */
  async submit(to: string, text: string, options: { receipt?: boolean } = {}): Promise<string[]> {
    const session = this.session;
    if (this.current !== 'bound' || !session) {
      throw new SmppError(
        'not-bound',
        `not bound to the SMSC${this.lastProblem ? `: ${this.lastProblem}` : ''}`,
      );
    }
    this.reference = (this.reference + 1) & 0xff;
    const plan = planMessage(text, this.reference);
    const source = addressOf(this.options.shortCode);
    const destination = addressOf(to.startsWith('+') ? to : `+${to}`);
    const ids: string[] = [];
    for (const part of plan.parts) {
      const answer = await this.request(session, 'submit_sm', {
        source_addr_ton: source.ton,
        source_addr_npi: source.npi,
        source_addr: source.addr,
        dest_addr_ton: destination.ton,
        dest_addr_npi: destination.npi,
        destination_addr: destination.addr,
        esm_class: plan.esmClass,
        data_coding: plan.dataCoding,
        // §5.2.17: 1 = receipt on final delivery outcome.
        registered_delivery: options.receipt ? 1 : 0,
        short_message: part,
      });
      if (answer.command_status !== 0) {
        const name = statusName(answer.command_status);
        throw new SmppError(name, `submit_sm refused by the SMSC: ${name}`);
      }
      ids.push(String(answer.message_id ?? ''));
    }
    return ids;
  }

  /** Unbinds (§4.2) and closes; no reconnect afterwards. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const session = this.session;
    if (session && this.current === 'bound') {
      await this.request(session, 'unbind', {}).catch(() => undefined);
    }
    if (session) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          session.destroy();
          resolve();
        }, 1000);
        session.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.dropSession(new SmppError('closed', 'the SMS channel is closed'));
    this.setState('closed');
  }

  private connect(): void {
    this.retry = null;
    this.setState('connecting');
    const url = new URL(this.options.url);
    const session = smpp.connect({ host: url.hostname, port: Number(url.port || 2775) });
    this.session = session;
    session.on('error', (error: Error) => {
      this.lastProblem = (error as NodeJS.ErrnoException).code ?? error.message;
    });
    session.on('close', () => {
      if (this.session !== session) return;
      this.dropSession(new SmppError('connection-lost', 'the connection to the SMSC was lost'));
      if (this.closing) return;
      this.setState('down', this.lastProblem);
      this.scheduleReconnect();
    });
    session.on('connect', () => this.bind(session));
    session.on('pdu', (pdu: smpp.PDU) => this.onPdu(session, pdu));
  }

  private async bind(session: smpp.Session): Promise<void> {
    try {
      const answer = await this.request(session, 'bind_transceiver', {
        system_id: this.options.systemId,
        password: this.options.password,
        system_type: this.options.systemType ?? '',
        interface_version: 0x34,
      });
      if (answer.command_status !== 0) {
        // Wrong credentials do not fix themselves, but an operator may change them at the SMSC: keep
        // trying at the slowest pace instead of hammering it.
        this.lastProblem = statusName(answer.command_status);
        this.attempt = Math.max(this.attempt, 30);
        const refused = new SmppError(this.lastProblem, `the SMSC refused the bind: ${this.lastProblem}`);
        for (const waiter of this.boundWaiters) waiter.reject(refused);
        this.boundWaiters.clear();
        session.close();
        return;
      }
    } catch {
      session.destroy();
      return;
    }
    if (this.session !== session || this.closing) return;
    this.attempt = 0;
    this.lastProblem = undefined;
    this.setState('bound');
    this.startKeepAlive(session);
    for (const waiter of this.boundWaiters) waiter.resolve();
    this.boundWaiters.clear();
  }

  private startKeepAlive(session: smpp.Session): void {
    const period = this.options.enquireLinkMs ?? 30_000;
    this.keepAlive = setInterval(() => {
      this.request(session, 'enquire_link', {}).catch(() => {
        this.lastProblem = 'enquire_link unanswered';
        session.destroy();
      });
    }, period);
    this.keepAlive.unref();
  }

  private onPdu(session: smpp.Session, pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'deliver_sm':
        session.send(pdu.response());
        this.onDeliver(pdu);
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        // §4.2: the SMSC ends the session; answer, then the close handler reconnects.
        session.send(pdu.response(), () => session.close());
        return;
      default:
        // §4.3: a request we do not serve gets generic_nack with ESME_RINVCMDID.
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
    }
  }

  private onDeliver(pdu: smpp.PDU): void {
    const decoded = (pdu.short_message ?? pdu.message_payload) as smpp.DecodedMessage | undefined;
    const text = typeof decoded?.message === 'string' ? decoded.message : '';
    const raw = String(pdu.source_addr ?? '');
    // TON 1 (§5.2.5) is an international number: written with '+', as E.164 everywhere in OpenCEIR.
    const from = Number(pdu.source_addr_ton ?? 0) === 1 && /^[0-9]+$/.test(raw) ? `+${raw}` : raw;
    const esmClass = Number(pdu.esm_class ?? 0);
    if (isReceipt(esmClass)) {
      const receipt = parseReceipt(text, {
        receiptedMessageId: pdu.receipted_message_id,
        messageState: pdu.message_state,
      });
      if (receipt) this.options.onReceipt?.(receipt);
      return;
    }
    const info = concatInfo(decoded?.udh);
    const whole = info ? this.reassembler.add(from, info, text) : text;
    if (whole !== null)
      this.options.onMessage?.({ from, to: String(pdu.destination_addr ?? ''), text: whole });
  }

  private request(
    session: smpp.Session,
    command: string,
    params: Record<string, unknown>,
  ): Promise<smpp.PDU> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.waiting.delete(fail);
        reject(error);
      };
      const timeoutMs = this.options.responseTimeoutMs ?? 10_000;
      const timer = setTimeout(
        () => fail(new SmppError('timeout', `no answer to ${command} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.add(fail);
      const sent = session.send(new smpp.PDU(command, params), (answer) => {
        clearTimeout(timer);
        this.waiting.delete(fail);
        resolve(answer);
      });
      if (!sent) fail(new SmppError('connection-lost', 'the connection to the SMSC is not writable'));
    });
  }

  private dropSession(error: Error): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
    this.session = null;
    for (const fail of [...this.waiting]) fail(error);
  }

  private scheduleReconnect(): void {
    const initial = this.options.reconnectInitialMs ?? 500;
    const max = this.options.reconnectMaxMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    this.retry = setTimeout(() => this.connect(), delay);
    this.retry.unref();
  }

  private setState(state: EsmeState, detail?: string): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange?.(state, detail);
  }
}
