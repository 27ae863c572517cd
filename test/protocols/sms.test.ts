/**
 * The SMS channel over real SMPP on loopback: the channel's ESME binds to the SMSC simulator (npm
 * `smpp` server) and handsets played by the simulator write to the short code. The registry behind
 * the channel is a small in-memory one built on the real IMEI parser.
 */
import { randomInt } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../../src/i18n/index.ts';
import { type DeviceKey, fullImei, parseEquipment } from '../../src/identifiers/index.ts';
import { SmsChannel, type SmsChannelOptions } from '../../src/protocols/sms/channel.ts';
import { Esme } from '../../src/protocols/sms/esme.ts';
import type { Receipt } from '../../src/protocols/sms/receipt.ts';
import { SmscSimulator } from '../../src/protocols/sms/simulator.ts';
import type { OutgoingSms, SmsActions, SmsOutbox, SmsStatus } from '../../src/protocols/sms/types.ts';

const SHORT_CODE = '14422';
const CREDENTIALS = { systemId: 'openceir', password: 'secret1' };
const FAST = { enquireLinkMs: 500, responseTimeoutMs: 2000, reconnectInitialMs: 50, reconnectMaxMs: 400 };

const STOLEN_KEY = '35209900176148' as DeviceKey;
const CLEAN_KEY = '49015420323751' as DeviceKey;
const UNKNOWN_KEY = '86000000000001' as DeviceKey;

interface TestCase {
  reference: string;
  from: string;
  keys: string[];
  state: string;
  code: string;
}

/** A registry in memory: statuses by device key, cases by reference, and an outbox. */
class MemoryRegistry implements SmsActions, SmsOutbox {
  readonly statuses = new Map<string, { status: SmsStatus; reasons: string[]; model?: string }>();
  readonly cases = new Map<string, TestCase>();
  readonly queue: (OutgoingSms & { state: 'queued' | 'claimed' | 'sent' | 'failed'; result?: string })[] = [];
  private nextId = 1;

  enqueue(to: string, text: string): void {
    this.queue.push({ id: String(this.nextId++), to, text, state: 'queued' });
  }

  async status(imei: string) {
    const parsed = parseEquipment(imei, { source: 'person' });
    if (!parsed.ok)
      return { ok: false as const, error: 'invalid-imei' as const, detail: parsed.error.message };
    const known = this.statuses.get(parsed.value.deviceKey);
    return known
      ? { ok: true as const, ...known }
      : { ok: true as const, status: 'unknown' as const, reasons: [] };
  }

  async report(from: string, kind: 'lost' | 'stolen', imeis: readonly string[], _language: Language) {
    const keys: string[] = [];
    for (const imei of imeis) {
      const parsed = parseEquipment(imei, { source: 'person' });
      if (!parsed.ok) return { ok: false as const, error: 'invalid-imei', detail: parsed.error.message };
      keys.push(parsed.value.deviceKey);
    }
    const open = [...this.cases.values()].find((c) => c.keys.some((k) => keys.includes(k)));
    if (open) return { ok: true as const, reference: open.reference, existing: true };
    const reference = `C-${randomInt(1000, 9999)}-${kind === 'lost' ? 'L' : 'S'}${randomInt(100, 999)}`;
    const code = String(randomInt(100000, 999999));
    this.cases.set(reference, { reference, from, keys, state: 'submitted', code });
    this.enqueue(from, `OpenCEIR code ${code} for report ${reference}. Valid 15 min.`);
    return { ok: true as const, reference, existing: false };
  }

  async verify(from: string, reference: string, code: string) {
    const found = this.cases.get(reference);
    if (!found || found.from !== from) return 'unknown-case' as const;
    if (found.code !== code) return 'wrong-code' as const;
    found.state = 'blocked';
    for (const key of found.keys) this.statuses.set(key, { status: 'blocked', reasons: ['stolen'] });
    return 'verified' as const;
  }

  async caseStatus(from: string, reference: string) {
    const found = this.cases.get(reference);
    return found && found.from === from ? { reference, state: found.state } : null;
  }

  async appeal(_from: string, imei: string, _grounds: string, _language: Language) {
    const answer = await this.status(imei);
    if (!answer.ok) return { ok: false as const, error: 'invalid-imei', detail: answer.detail };
    if (answer.status === 'allowed' || answer.status === 'unknown')
      return { ok: false as const, error: 'not-listed', detail: 'nothing to appeal' };
    return { ok: true as const, reference: 'A-0000-0001', existing: false };
  }

  async take(limit: number) {
    const due = this.queue.filter((m) => m.state === 'queued').slice(0, limit);
    for (const m of due) m.state = 'claimed';
    return due.map(({ id, to, text }) => ({ id, to, text }));
  }

  async sent(id: string, smscMessageId: string) {
    const m = this.queue.find((q) => q.id === id)!;
    m.state = 'sent';
    m.result = smscMessageId;
  }

  async failed(id: string, error: string) {
    const m = this.queue.find((q) => q.id === id)!;
    m.state = 'failed';
    m.result = error;
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function simulator(port = 0) {
  const smsc = await SmscSimulator.start({ port, ...CREDENTIALS });
  cleanups.push(() => smsc.close());
  return smsc;
}

async function channel(smsc: SmscSimulator, extra: Partial<SmsChannelOptions> = {}) {
  const registry = new MemoryRegistry();
  registry.statuses.set(STOLEN_KEY, {
    status: 'blocked',
    reasons: ['stolen', 'duplicate'],
    model: 'Galaxy A52',
  });
  registry.statuses.set(CLEAN_KEY, { status: 'allowed', reasons: [] });
  const errors: unknown[] = [];
  const sms = new SmsChannel({
    smscUrl: smsc.url,
    ...CREDENTIALS,
    shortCode: SHORT_CODE,
    languages: ['+213=ar', '7=ru', '86=zh', '33=fr', '34=es'],
    actions: registry,
    outbox: registry,
    smpp: FAST,
    onError: (error) => errors.push(error),
    ...extra,
  }).start();
  cleanups.push(() => sms.close());
  await sms.esme.whenBound(5000);
  return { sms, registry, errors };
}

describe('SMS channel over SMPP (SMSC simulator on loopback)', () => {
  it('answers KYM with the status, reasons and model, in GSM 7-bit, to the sender', async () => {
    const smsc = await simulator();
    await channel(smsc);
    const handset = '+447700900001';
    const imei = fullImei(STOLEN_KEY);
    await smsc.send(
      handset,
      SHORT_CODE,
      `  kym   ${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`,
    );
    const answer = await smsc.waitForMessage(handset, () => true, 5000);
    expect(answer.from).toBe(SHORT_CODE);
    expect(answer.dataCoding).toBe(0);
    expect(answer.text).toBe(
      `OpenCEIR: IMEI ${imei} (Galaxy A52) is BLOCKED. It will not work on mobile networks. Do not buy it. Why: reported stolen, cloned IMEI.`,
    );

    await smsc.send(handset, SHORT_CODE, `KYM ${fullImei(CLEAN_KEY)}`);
    await smsc.send(handset, SHORT_CODE, `KYM ${fullImei(UNKNOWN_KEY)}`);
    // Wrong check digit: the registry's parser refuses it.
    const wrong = `${STOLEN_KEY}${(Number(fullImei(STOLEN_KEY).at(-1)) + 1) % 10}`;
    await smsc.send(handset, SHORT_CODE, `KYM ${wrong}`);
    await smsc.send(handset, SHORT_CODE, 'what is this?');
    const texts = async (n: number) => {
      await smsc.waitForMessage(handset, () => smsc.messagesTo(handset).length >= n, 5000);
      return smsc.messagesTo(handset).map((m) => m.text);
    };
    const all = await texts(5);
    expect(all[1]).toContain('is ALLOWED');
    expect(all[2]).toContain('is not in the register');
    expect(all[3]).toContain(`"${wrong}" is not a valid IMEI`);
    expect(all[4]).toMatch(/^OpenCEIR: KYM <IMEI> checks a phone/);
  });

  it('answers a +213 sender in Arabic (UCS-2) and a +7 sender in Russian', async () => {
    const smsc = await simulator();
    await channel(smsc);
    await smsc.send('+213550123456', SHORT_CODE, `KYM ${fullImei(STOLEN_KEY)}`);
    const arabic = await smsc.waitForMessage('213550123456');
    expect(arabic.dataCoding).toBe(8);
    expect(arabic.text).toContain('محظور');
    expect(arabic.text).toContain('أُبلغ عن سرقته، رقم IMEI مستنسخ');
    expect(arabic.text).toContain(fullImei(STOLEN_KEY));

    // Not a command (Cyrillic letters): help, in the language of the +7 prefix, answered in order.
    await smsc.send('0079161234567', SHORT_CODE, `кым`);
    await smsc.send('0079161234567', SHORT_CODE, `KYM ${fullImei(CLEAN_KEY)}`);
    const russian = await smsc.waitForMessage('79161234567', (m) => m.text.includes('РАЗРЕШЁН'));
    expect(russian.dataCoding).toBe(8);
    expect(smsc.messagesTo('79161234567')[0]!.text).toMatch(/^OpenCEIR: KYM <IMEI> проверяет телефон/);
  });

  it('reads Arabic-Indic digits and answers a long message in concatenated parts', async () => {
    const smsc = await simulator();
    await channel(smsc);
    const arabicDigits = [...fullImei(STOLEN_KEY)]
      .map((d) => String.fromCharCode(0x0660 + Number(d)))
      .join('');
    await smsc.send('+213661000000', SHORT_CODE, `kym ${arabicDigits}`);
    await smsc.send('+213661000000', SHORT_CODE, 'help');
    const help = await smsc.waitForMessage('213661000000', (m) => m.text.includes('VERIFY'));
    // Arabic help is longer than 70 UCS-2 characters: several parts, joined back by the handset.
    expect(help.parts).toBeGreaterThan(1);
    expect(help.messageIds).toHaveLength(help.parts);
    expect(smsc.messagesTo('213661000000')[0]!.text).toContain('محظور');
  });

  it('sends long texts in Chinese, Russian and GSM with extension characters, reassembled exactly', async () => {
    const smsc = await simulator();
    const esme = new Esme({ url: smsc.url, ...CREDENTIALS, shortCode: SHORT_CODE, ...FAST }).start();
    cleanups.push(() => esme.close());
    await esme.whenBound(5000);
    const texts = {
      '8613800000000': '您的手机已在所有网络上被封锁。'.repeat(12),
      '79990000000': 'Телефон заблокирован во всех сетях. '.repeat(9),
      '447700900002': 'Fees {none} [ok] ~ | 5€ ^ \\ '.repeat(14),
      '447700900003': `emoji ${'😀'.repeat(70)}`,
    };
    for (const [to, text] of Object.entries(texts)) {
      const ids = await esme.submit(to, text);
      const got = await smsc.waitForMessage(to);
      expect(got.text).toBe(text);
      expect(got.parts).toBe(ids.length);
      expect(got.parts).toBeGreaterThan(1);
    }
    expect(smsc.messagesTo('447700900002')[0]!.dataCoding).toBe(0);
    expect(smsc.messagesTo('8613800000000')[0]!.dataCoding).toBe(8);
  });

  it('is refused a bind with a wrong password and says why', async () => {
    const smsc = await simulator();
    const esme = new Esme({
      url: smsc.url,
      systemId: CREDENTIALS.systemId,
      password: 'wrong',
      shortCode: SHORT_CODE,
      ...FAST,
    }).start();
    cleanups.push(() => esme.close());
    await expect(esme.whenBound(1500)).rejects.toThrow(/ESME_RINVPASWD/);
    expect(esme.state).not.toBe('bound');
    expect(esme.problem).toBe('ESME_RINVPASWD');
    expect(smsc.refusedBinds).toBeGreaterThanOrEqual(1);
    expect(smsc.sessions).toBe(0);
    await expect(esme.submit('447700900001', 'hello')).rejects.toThrow(/not bound/);
  });

  it('binds again after the SMSC restarts, then answers KYM', async () => {
    let smsc = await simulator();
    const port = smsc.port;
    const states: string[] = [];
    const { sms } = await channel(smsc, { onStateChange: (state) => states.push(state) });
    await smsc.close();
    cleanups.pop();
    // Wait (bounded) for the drop to be seen, so the test exercises the reconnect loop.
    for (let i = 0; i < 100 && sms.esme.state === 'bound'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sms.esme.state).not.toBe('bound');
    await new Promise((r) => setTimeout(r, 300));
    smsc = await simulator(port);
    await sms.esme.whenBound(5000);
    expect(states).toEqual(expect.arrayContaining(['bound', 'down', 'connecting']));
    expect(states.filter((s) => s === 'bound').length).toBeGreaterThanOrEqual(2);
    await smsc.send('+447700900009', SHORT_CODE, `KYM ${fullImei(STOLEN_KEY)}`);
    expect((await smsc.waitForMessage('447700900009')).text).toContain('BLOCKED');
  });

  it('drains the outbox with receipts, reports a refused destination as failed', async () => {
    const smsc = await simulator();
    smsc.refuse('+447700900666');
    const receipts: Receipt[] = [];
    const metrics = new Registry();
    const { sms, registry } = await channel(smsc, { onReceipt: (r) => receipts.push(r), metrics });
    registry.enqueue('447700900101', 'OpenCEIR: report C-1111-2222 is verified. The phone is now blocked.');
    registry.enqueue('447700900666', 'OpenCEIR code 123456 for report C-1111-3333.');
    registry.enqueue('213550000001', 'OpenCEIR: تم التحقق من البلاغ C-1111-4444.');
    sms.wake();
    await smsc.waitForMessage('213550000001');
    await sms.idle();
    const byId = Object.fromEntries(registry.queue.map((m) => [m.to, m]));
    expect(byId['447700900101']!.state).toBe('sent');
    expect(byId['213550000001']!.state).toBe('sent');
    expect(byId['447700900666']!.state).toBe('failed');
    expect(byId['447700900666']!.result).toMatch(/^ESME_RINVDSTADR/);
    expect(smsc.messagesTo('447700900666')).toEqual([]);
    // The SMSC message id is what the outbox keeps, and the receipt names it.
    const sentId = byId['447700900101']!.result!;
    expect(smsc.messagesTo('447700900101')[0]!.messageIds).toEqual([sentId]);
    for (let i = 0; i < 100 && receipts.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(receipts).toEqual(expect.arrayContaining([{ messageId: sentId, state: 'DELIVRD' }]));
    const text = await metrics.metrics();
    expect(text).toMatch(/openceir_sms_sent_total\{kind="outbox"\} 2/);
    expect(text).toMatch(/openceir_sms_failures_total\{stage="outbox"\} 1/);
  });

  it('takes a stolen report, delivers the code, verifies it, and answers STATUS only to the reporter', async () => {
    const smsc = await simulator();
    const { sms, registry } = await channel(smsc);
    const owner = '+33612345678';
    const imei2 = fullImei('35209900176149' as DeviceKey);
    await smsc.send(
      owner,
      SHORT_CODE,
      `stolen ${fullImei(CLEAN_KEY)} ${imei2.slice(0, 2)} ${imei2.slice(2, 8)} ${imei2.slice(8)}`,
    );
    const accepted = await smsc.waitForMessage(owner, (m) => m.text.includes('signalement'));
    const reference = /signalement (C-\S+) reçu/.exec(accepted.text)?.[1];
    expect(reference).toBeDefined();
    // The sender reaches the registry in E.164 form (TON 1 → '+').
    expect(registry.cases.get(reference!)).toMatchObject({
      from: owner,
      keys: [CLEAN_KEY, '35209900176149'],
    });
    // The cases part queued the code; the channel was woken by its interval or here.
    sms.wake();
    await smsc.waitForMessage(owner, (m) => m.text.startsWith('OpenCEIR code'));
    const code = smsc.lastCodeTo(owner);
    expect(code).toBe(registry.cases.get(reference!)!.code);

    await smsc.send('+33699999999', SHORT_CODE, `STATUS ${reference}`);
    expect((await smsc.waitForMessage('33699999999')).text).toContain('aucun signalement ni recours');

    await smsc.send(owner, SHORT_CODE, `verify ${reference!.toLowerCase()} ${code}`);
    await smsc.waitForMessage(owner, (m) => m.text.includes('confirmé'));
    await smsc.send(owner, SHORT_CODE, `STATUS ${reference}`);
    const status = await smsc.waitForMessage(owner, (m) => m.text.includes('bloqué sur tous les réseaux'));
    expect(status.text).toBe(`OpenCEIR : ${reference} : le téléphone est bloqué sur tous les réseaux.`);
    await smsc.send(owner, SHORT_CODE, `KYM ${fullImei(CLEAN_KEY)}`);
    await smsc.waitForMessage(owner, (m) => m.text.includes('BLOQUÉ'));
  });
});
