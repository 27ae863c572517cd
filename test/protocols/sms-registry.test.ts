/**
 * SMS against the real registry: the channel's ESME bound over SMPP (loopback) to the SMSC simulator,
 * answering from the real check index and the real cases part on PGlite. A handset reports a
 * dual-SIM phone by SMS, receives the one-time code from the outbox, verifies it, and the phone is
 * blocked; KYM answers from the index, in Arabic for an Algerian number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsChannel } from '../../src/protocols/sms/channel.ts';
import { registryActions } from '../../src/protocols/sms/registry-actions.ts';
import { SmscSimulator } from '../../src/protocols/sms/simulator.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const SHORT_CODE = '14422';
const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const OWNER = '254712345678';

describe('SMS channel on the registry (SMPP on loopback, PGlite)', () => {
  let t: TestApp;
  let simulator: SmscSimulator;
  let channel: SmsChannel;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    simulator = await SmscSimulator.start({ systemId: 'openceir', password: 'secret1' });
    channel = new SmsChannel({
      smscUrl: simulator.url,
      systemId: 'openceir',
      password: 'secret1',
      shortCode: SHORT_CODE,
      languages: ['213=ar'],
      actions: registryActions({ checks: t.context.checks, db: t.context.store.db, desk: t.context.desk }),
      outbox: t.context.desk.outbox,
      drainIntervalMs: 200,
    }).start();
    t.context.desk.outbox.onQueued(() => channel.wake());
    await channel.esme.whenBound(5000);
  });
  afterAll(async () => {
    await channel.close();
    await simulator.close();
    await t.dispose();
  });

  /** The handset writes to the short code and waits for the next message it receives. */
  async function write(from: string, text: string, expected: RegExp): Promise<string> {
    const earlier = new Set(simulator.messagesTo(from));
    await simulator.send(from, SHORT_CODE, text);
    const message = await simulator.waitForMessage(
      from,
      (m) => !earlier.has(m) && expected.test(m.text),
      10_000,
    );
    return message.text;
  }

  it('reports, verifies by the code received, and the phone is blocked on both IMEIs', async () => {
    const accepted = await write(OWNER, `STOLEN ${IMEI_A} ${IMEI_B}`, /report C-/);
    const reference = /(C-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(accepted)![1]!;
    const codeMessage = await simulator.waitForMessage(OWNER, (m) => /code \d{6}/.test(m.text), 10_000);
    const code = /code (\d{6})/.exec(codeMessage.text)![1]!;
    expect(
      await write(
        OWNER,
        `verify ${reference.toLowerCase()} 000000`.replace('000000', code === '000000' ? '111111' : '000000'),
        /wrong code/,
      ),
    ).toContain(reference);
    await write(OWNER, `VERIFY ${reference} ${code}`, /is confirmed/);
    await simulator.waitForMessage(OWNER, (m) => /blocked on all networks/.test(m.text), 10_000);
    await t.caughtUp();
    const kym = await write('254733000001', `KYM ${IMEI_B}`, /IMEI/);
    expect(kym).toMatch(/BLOCKED.*reported stolen/);
    expect(await write(OWNER, `STATUS ${reference}`, new RegExp(reference))).toMatch(
      /blocked on all networks/,
    );
    // Another number learns nothing about the case.
    expect(await write('254733000002', `STATUS ${reference}`, /no report or appeal/)).toContain(reference);
  });

  it('answers KYM in the sender’s language, and never records a sighting', async () => {
    const answer = await write('213555123456', `kym ${IMEI_A}`, /IMEI/);
    expect(answer).toMatch(/[\u0600-\u06FF]/);
    const sightings = await t.call(`/api/v1/devices/${IMEI_A}/sightings`);
    expect(((await sightings.json()) as { sightings: unknown[] }).sightings).toEqual([]);
  });

  it('files an appeal by SMS against the block', async () => {
    const answer = await write(
      '254733000003',
      `APPEAL ${IMEI_B} bought it from a shop with an invoice`,
      /appeal A-/,
    );
    const reference = /(A-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(answer)![1]!;
    const appeal = await t.context.desk.appeals.get(reference);
    expect(appeal).toMatchObject({ channel: 'sms', appellantPhone: '254733000003', state: 'open' });
  });
});
