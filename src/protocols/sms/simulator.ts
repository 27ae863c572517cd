/**
 * A small SMSC for the demo and the tests, on the npm `smpp` server: it binds ESMEs with a
 * system_id/password, takes submit_sm as a network would (message ids, concatenated parts put back
 * together, delivery receipts when asked), keeps what every handset received, and lets a test or the
 * demo play a handset that writes to the short code (deliver_sm to the bound ESME).
 *
 * It is not a network: no store-and-forward, no retries, every message is "delivered" at once.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { concatInfo, Reassembler } from './concat.ts';
import { planMessage } from './encoding.ts';
import { internationalDigits } from './language.ts';
import { ESM_CLASS_RECEIPT, formatReceipt, MESSAGE_STATES } from './receipt.ts';

export interface SimulatorOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly systemId: string;
  readonly password: string;
}

/** A message as the handset shows it, all parts joined. */
export interface HandsetMessage {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly dataCoding: number;
  readonly parts: number;
  readonly messageIds: readonly string[];
  readonly at: Date;
}

const BIND_COMMANDS = new Set(['bind_transceiver', 'bind_transmitter', 'bind_receiver']);

export class SmscSimulator {
  private readonly server: smpp.Server;
  private readonly bound = new Set<smpp.Session>();
  private readonly received: HandsetMessage[] = [];
  private readonly reassembler = new Reassembler();
  /** Parts seen so far of each concatenated message, by sender/destination/reference. */
  private readonly partIds = new Map<string, string[]>();
  private readonly refused = new Map<string, number>();
  private readonly events = new EventEmitter();
  private nextId = 1;
  private moReference = 0;
  /** Binds refused for wrong credentials, for tests. */
  refusedBinds = 0;
  binds = 0;

  private constructor(private readonly options: SimulatorOptions) {
    this.server = smpp.createServer({}, (session) => this.onSession(session));
    this.events.setMaxListeners(0);
  }

  static async start(options: SimulatorOptions): Promise<SmscSimulator> {
    const simulator = new SmscSimulator(options);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        simulator.server.off('error', reject);
        resolve();
      });
    });
    return simulator;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smpp://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** ESMEs currently bound. */
  get sessions(): number {
    return this.bound.size;
  }

  /** Answers submit_sm to `number` with `status` (default ESME_RINVDSTADR), as a network refusing it. */
  refuse(number: string, status: number = smpp.errors.ESME_RINVDSTADR!): void {
    this.refused.set(internationalDigits(number), status);
  }

  /** Everything the handset at `number` received, oldest first. */
  messagesTo(number: string): HandsetMessage[] {
    const digits = internationalDigits(number);
    return this.received.filter((m) => m.to === digits);
  }

  /** The one-time code in the last message to `number`: a standalone run of 4–8 digits. */
  lastCodeTo(number: string): string | null {
    const last = this.messagesTo(number).at(-1);
    return last ? (/(?<![\w-])(\d{4,8})(?![\w-])/.exec(last.text)?.[1] ?? null) : null;
  }

  /** The first message to `number` (already received or to come) that satisfies `predicate`. */
  waitForMessage(
    number: string,
    predicate: (message: HandsetMessage) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<HandsetMessage> {
    const found = this.messagesTo(number).find(predicate);
    if (found) return Promise.resolve(found);
    const digits = internationalDigits(number);
    return new Promise((resolve, reject) => {
      const listener = (message: HandsetMessage) => {
        if (message.to !== digits || !predicate(message)) return;
        clearTimeout(timer);
        this.events.off('message', listener);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.events.off('message', listener);
        reject(new Error(`no matching SMS to ${number} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on('message', listener);
    });
  }

  /**
   * A handset at `from` writes `text` to `to` (the short code): deliver_sm to a bound ESME, in parts
   * if long. Resolves when the ESME has answered every part.
   */
  async send(from: string, to: string, text: string): Promise<void> {
    const session = [...this.bound][0];
    if (!session) throw new Error('no ESME is bound to the simulator');
    this.moReference = (this.moReference + 1) & 0xff;
    const plan = planMessage(text, this.moReference);
    for (const part of plan.parts) {
      await new Promise<void>((resolve, reject) => {
        const sent = session.deliver_sm(
          {
            source_addr_ton: 1,
            source_addr_npi: 1,
            source_addr: internationalDigits(from),
            dest_addr_ton: 3,
            destination_addr: internationalDigits(to),
            esm_class: plan.esmClass,
            data_coding: plan.dataCoding,
            short_message: part,
          },
          (answer) =>
            answer.command_status === 0
              ? resolve()
              : reject(new Error(`deliver_sm refused with status ${answer.command_status}`)),
        );
        if (!sent) reject(new Error('the ESME connection is closed'));
      });
    }
  }

  async close(): Promise<void> {
    for (const session of this.server.sessions) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSession(session: smpp.Session): void {
    session.on('error', () => undefined);
    session.on('close', () => this.bound.delete(session));
    session.on('pdu', (pdu: smpp.PDU) => {
      if (pdu.isResponse()) return;
      if (BIND_COMMANDS.has(pdu.command)) return this.onBind(session, pdu);
      switch (pdu.command) {
        case 'enquire_link':
          session.send(pdu.response());
          return;
        case 'unbind':
          this.bound.delete(session);
          session.send(pdu.response(), () => session.close());
          return;
        case 'submit_sm':
          return this.onSubmit(session, pdu);
        default:
          session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
      }
    });
  }

  private onBind(session: smpp.Session, pdu: smpp.PDU): void {
    // SMPP v3.4 §4.1: a wrong system_id or password is refused with its own status.
    const status =
      pdu.system_id !== this.options.systemId
        ? smpp.errors.ESME_RINVSYSID!
        : pdu.password !== this.options.password
          ? smpp.errors.ESME_RINVPASWD!
          : 0;
    if (status !== 0) {
      this.refusedBinds++;
      session.send(pdu.response({ command_status: status }));
      return;
    }
    this.binds++;
    this.bound.add(session);
    session.send(pdu.response({ system_id: 'openceir-smsc-simulator' }));
  }

  private onSubmit(session: smpp.Session, pdu: smpp.PDU): void {
    if (!this.bound.has(session)) {
      session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
      return;
    }
    const to = String(pdu.destination_addr ?? '');
    const refusal = this.refused.get(to);
    if (refusal !== undefined) {
      session.send(pdu.response({ command_status: refusal }));
      return;
    }
    const messageId = (this.nextId++).toString(16).padStart(8, '0');
    session.send(pdu.response({ message_id: messageId }));

    const from = String(pdu.source_addr ?? '');
    const decoded = pdu.short_message as smpp.DecodedMessage | undefined;
    const text = typeof decoded?.message === 'string' ? decoded.message : '';
    const dataCoding = Number(pdu.data_coding ?? 0);
    const info = concatInfo(decoded?.udh);
    const key = info ? `${from}/${to}/${info.reference}` : '';
    const ids = info ? [...(this.partIds.get(key) ?? []), messageId] : [messageId];
    if (info) this.partIds.set(key, ids);
    const whole = info ? this.reassembler.add(`${from}/${to}`, info, text) : text;
    if (whole !== null) {
      if (info) this.partIds.delete(key);
      const message: HandsetMessage = {
        from,
        to,
        text: whole,
        dataCoding,
        parts: info?.total ?? 1,
        messageIds: ids,
        at: new Date(),
      };
      this.received.push(message);
      this.events.emit('message', message);
    }
    // §5.2.17: bit 0 asks for a receipt on the final outcome; each part gets its own.
    if ((Number(pdu.registered_delivery ?? 0) & 0x03) !== 0) {
      const now = new Date();
      session.deliver_sm({
        source_addr: to,
        destination_addr: from,
        esm_class: ESM_CLASS_RECEIPT,
        short_message: formatReceipt(messageId, 'DELIVRD', now, now, text),
        receipted_message_id: messageId,
        message_state: MESSAGE_STATES.DELIVRD,
      });
    }
  }
}
