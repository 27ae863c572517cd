/**
 * The demo's handset, only when the built-in SMSC simulator runs (demo without an SMSC): what a
 * phone number received by SMS (one-time codes, KYM answers, notifications), and a way to send an
 * SMS to the short code as that phone would. Never registered when a real SMSC is configured.
 *   GET  /demo/phone?number=254712000002
 *   POST /demo/phone {"from": "254712000002", "text": "KYM 352099001761481"}
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { SmscSimulator } from '../../protocols/sms/index.ts';
import { problem } from '../errors.ts';

const digits = (number: string) => number.replace(/\D/g, '');

export function demoPhoneRoutes(app: FastifyInstance, simulator: SmscSimulator, shortCode: string): void {
  app.get<{ Querystring: { number: string } }>(
    '/demo/phone',
    {
      config: { access: 'public' },
      schema: {
        tags: ['demo'],
        summary: 'Demo only: the SMS a phone number received from the built-in SMSC simulator',
        querystring: Type.Object({ number: Type.String({ pattern: '^\\+?[0-9 ]{5,20}$' }) }),
      },
    },
    async (request) => {
      const number = digits(request.query.number);
      return {
        number,
        messages: simulator
          .messagesTo(number)
          .map((m) => ({ from: m.from, text: m.text, at: m.at.toISOString() }))
          .reverse(),
      };
    },
  );

  app.post<{ Body: { from: string; text: string } }>(
    '/demo/phone',
    {
      config: { access: 'public' },
      schema: {
        tags: ['demo'],
        summary: `Demo only: send an SMS to the short code as a phone would (e.g. "KYM <IMEI>")`,
        body: Type.Object(
          {
            from: Type.String({ pattern: '^\\+?[0-9 ]{5,20}$' }),
            text: Type.String({ minLength: 1, maxLength: 700 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const from = digits(request.body.from);
      const before = simulator.messagesTo(from).length;
      try {
        await simulator.send(from, shortCode, request.body.text);
      } catch (error) {
        return problem(reply, {
          title: 'Unavailable',
          status: 503,
          detail: (error as Error).message,
          cause: 'SMSC_NOT_BOUND',
        });
      }
      // The answer comes back through the SMSC: wait for it a little (bounded).
      for (let i = 0; i < 50 && simulator.messagesTo(from).length === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answer = simulator.messagesTo(from).slice(before)[0];
      return { sent: request.body.text, answer: answer ? answer.text : null };
    },
  );
}
