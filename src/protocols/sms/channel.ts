/**
 * The SMS channel: the ESME, the command parser, the sender's language, the registry's actions and
 * the outbox, put together.
 *
 * - A mobile-originated text to the short code is parsed and answered to its sender, in the
 *   sender's language (prefix rules, `language.ts`).
 * - The outbox (codes, notifications written by the cases part) is drained when `wake()` is called
 *   and every `drainIntervalMs`, only while bound, so messages are not claimed when they cannot go.
 *   A failed submit is reported with `failed()`; the cases part decides when to try again.
 */
import { type Counter, Counter as PromCounter, type Registry } from 'prom-client';
import { translator } from '../../i18n/index.ts';
import { SMS } from '../../i18n/sms/index.ts';
import { parseCommand } from './commands.ts';
import { Esme, type EsmeOptions, type EsmeState, type IncomingSms, SmppError } from './esme.ts';
import { internationalDigits, languageOf, parseLanguageRules } from './language.ts';
import type { Receipt } from './receipt.ts';
import { reply } from './replies.ts';
import type { SmsActions, SmsOutbox } from './types.ts';

export interface SmsChannelOptions {
  /** `sms.smsc_url`: smpp://host:port */
  readonly smscUrl: string;
  readonly systemId: string;
  readonly password: string;
  readonly shortCode: string;
  /** `sms.languages`: items such as `213=ar`. */
  readonly languages?: readonly string[] | null;
  readonly actions: SmsActions;
  readonly outbox?: SmsOutbox;
  readonly drainIntervalMs?: number;
  /** Messages claimed from the outbox at a time. */
  readonly batchSize?: number;
  readonly metrics?: Registry;
  /** Lower-level SMPP timings (keep-alive, timeouts, backoff); defaults suit a real SMSC. */
  readonly smpp?: Pick<
    EsmeOptions,
    'enquireLinkMs' | 'responseTimeoutMs' | 'reconnectInitialMs' | 'reconnectMaxMs' | 'systemType'
  >;
  readonly onError?: (error: unknown, context: string) => void;
  readonly onStateChange?: (state: EsmeState, detail?: string) => void;
  readonly onReceipt?: (receipt: Receipt) => void;
}

interface Metrics {
  readonly received: Counter<'command'>;
  readonly sent: Counter<'kind'>;
  readonly failures: Counter<'stage'>;
}

function metricsOn(registry: Registry | undefined): Metrics | null {
  if (!registry) return null;
  const registers = [registry];
  return {
    received: new PromCounter({
      name: 'openceir_sms_received_total',
      help: 'Mobile-originated SMS received, by command',
      labelNames: ['command'],
      registers,
    }),
    sent: new PromCounter({
      name: 'openceir_sms_sent_total',
      help: 'SMS accepted by the SMSC: replies to commands and outbox messages',
      labelNames: ['kind'],
      registers,
    }),
    failures: new PromCounter({
      name: 'openceir_sms_failures_total',
      help: 'SMS that could not be answered or submitted, by stage',
      labelNames: ['stage'],
      registers,
    }),
  };
}

export class SmsChannel {
  readonly esme: Esme;
  private readonly rules;
  private readonly metrics: Metrics | null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private readonly answering = new Set<Promise<void>>();
  private readonly bySender = new Map<string, Promise<void>>();

  constructor(private readonly options: SmsChannelOptions) {
    this.rules = parseLanguageRules(options.languages);
    this.metrics = metricsOn(options.metrics);
    this.esme = new Esme({
      ...options.smpp,
      url: options.smscUrl,
      systemId: options.systemId,
      password: options.password,
      shortCode: options.shortCode,
      onMessage: (message) => this.inOrder(message),
      onReceipt: options.onReceipt,
      onStateChange: (state, detail) => {
        options.onStateChange?.(state, detail);
        if (state === 'bound') this.wake();
      },
    });
  }

  start(): this {
    this.esme.start();
    const every = this.options.drainIntervalMs ?? 5000;
    this.timer = setInterval(() => this.wake(), every);
    this.timer.unref();
    return this;
  }

  /** Drains the outbox now (the cases part calls this after queueing a message). */
  wake(): void {
    if (!this.options.outbox || this.esme.state !== 'bound') return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves when the current drain (if any) is over; for tests and orderly stops. */
  async idle(): Promise<void> {
    while (this.draining || this.answering.size > 0) {
      await Promise.all([this.draining, ...this.answering]);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    await this.esme.close();
  }

  private async drain(): Promise<void> {
    const outbox = this.options.outbox!;
    const batch = this.options.batchSize ?? 20;
    // Bounded: at most 50 batches per wake; the interval picks up the rest.
    for (let round = 0; round < 50 && this.esme.state === 'bound'; round++) {
      let messages: Awaited<ReturnType<SmsOutbox['take']>>;
      try {
        messages = await outbox.take(batch);
      } catch (error) {
        this.options.onError?.(error, 'outbox');
        return;
      }
      for (const message of messages) {
        try {
          const ids = await this.esme.submit(message.to, message.text, { receipt: true });
          this.metrics?.sent.inc({ kind: 'outbox' });
          await outbox.sent(message.id, ids.join(' '));
        } catch (error) {
          this.metrics?.failures.inc({ stage: 'outbox' });
          const reason = error instanceof SmppError ? `${error.code}: ${error.message}` : String(error);
          await outbox.failed(message.id, reason).catch((e) => this.options.onError?.(e, 'outbox'));
        }
      }
      if (messages.length < batch) return;
    }
  }

  /** Answers one sender's texts in the order they came, so "KYM …" then "HELP" read in that order. */
  private inOrder(message: IncomingSms): void {
    const previous = this.bySender.get(message.from) ?? Promise.resolve();
    const work = previous.then(() => this.answer(message));
    this.bySender.set(message.from, work);
    this.answering.add(work);
    void work.finally(() => {
      this.answering.delete(work);
      if (this.bySender.get(message.from) === work) this.bySender.delete(message.from);
    });
  }

  private async answer(message: IncomingSms): Promise<void> {
    const to = internationalDigits(message.to);
    const shortCode = internationalDigits(this.options.shortCode);
    // An SMSC may route other numbers over the same bind; only the short code is ours to answer.
    if (to !== shortCode && !to.endsWith(shortCode)) return;
    const command = parseCommand(message.text);
    this.metrics?.received.inc({ command: command.kind });
    const language = languageOf(message.from, this.rules);
    let text: string;
    try {
      text = await reply(command, message.from, language, this.options.actions);
    } catch (error) {
      this.metrics?.failures.inc({ stage: 'command' });
      this.options.onError?.(error, `sms ${command.kind}`);
      text = translator(SMS, language)('unavailable');
    }
    await this.send(message.from, text);
  }

  private async send(to: string, text: string): Promise<void> {
    try {
      await this.esme.submit(to, text);
      this.metrics?.sent.inc({ kind: 'reply' });
    } catch (error) {
      this.metrics?.failures.inc({ stage: 'reply' });
      this.options.onError?.(error, 'sms reply');
    }
  }
}
