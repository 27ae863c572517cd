/**
 * Pseudonymised matching between two registries (in-process apps on real HTTP, PostgreSQL): registry A
 * and registry B hold overlapping lists; B asks A with its keyed tokens. Matches are exact, A's reveal
 * policy decides what B sees in clear, a wrong key finds nothing, an oversized batch is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMatch, setMatchKey } from '../../src/exchange/matching/matching.ts';
import { MAX_TOKENS, matchToken } from '../../src/exchange/matching/tokens.ts';
import { luhnDigit } from '../../src/identifiers/checkdigits.ts';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/app.ts';
import { runCli } from '../support/process.ts';

const key = (n: number) => `35209900${String(n).padStart(6, '0')}`;
const imei = (n: number) => `${key(n)}${luhnDigit(key(n))}`;

describe('pseudonymised matching (two registries, PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let bKeyAtA: string;
  const block = async (t: TestApp, n: number, reason: string, how = 'block') => {
    const response = await t.call(`/api/v1/devices/${imei(n)}/${how}`, { method: 'POST', json: { reason } });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp('postgres'), createTestApp('postgres')]);
    // A: 1 stolen, 2 counterfeit, 3 stolen+counterfeit, 4 lost (tracked), 5 stolen then unblocked.
    await block(a, 1, 'stolen');
    await block(a, 2, 'counterfeit');
    await block(a, 3, 'stolen');
    await block(a, 3, 'counterfeit');
    await block(a, 4, 'lost', 'track');
    await block(a, 5, 'stolen');
    expect(
      (await a.call(`/api/v1/devices/${imei(5)}/unblock`, { method: 'POST', json: { reason: 'stolen' } }))
        .status,
    ).toBe(200);
    await block(a, 9, 'stolen');
    // B: 1, 2, 3, 4, 5 and 7 (not at A).
    for (const n of [1, 2, 3, 5, 7]) await block(b, n, 'stolen');
    await block(b, 4, 'lost', 'track');
    // One secret agreed for the pair, set on both sides; A reveals stolen only, to B's organisation.
    await a.accounts.addOrganisation({ id: 'peer-b', kind: 'regulator', name: 'Registry B' });
    // A key of the peer role: it can match and read the ledger, nothing else (no regulator key needed).
    bKeyAtA = (await a.accounts.createApiKey('peer-b', 'peer', 'registry B matching')).key;
    const put = await a.call('/api/v1/exchange/match-keys/b', {
      method: 'PUT',
      json: { revealReasons: ['stolen'], organisationId: 'peer-b' },
    });
    expect(put.status).toBe(200);
    const { secret } = (await put.json()) as { secret: string };
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await setMatchKey(b.context.store.db, { peerId: 'a', secret });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
  });

  it('finds exactly the common listed devices and reveals only what the policy allows', async () => {
    const result = await runMatch(b.context.store.db, {
      peerUrl: a.base,
      peerId: 'a',
      as: 'b',
      apiKey: bKeyAtA,
    });
    expect(result.sent).toBe(6);
    expect(result.matches).toEqual([
      { imei: key(1), token: expect.any(String), theirStatus: 'blocked', theirReasons: ['stolen'] },
      // Counterfeit is not revealed: only the token and "matched".
      { imei: key(2), token: expect.any(String), theirStatus: null, theirReasons: [] },
      // Stolen and counterfeit: the IMEI is revealed with the stolen reason only.
      { imei: key(3), token: expect.any(String), theirStatus: 'blocked', theirReasons: ['stolen'] },
      { imei: key(4), token: expect.any(String), theirStatus: null, theirReasons: [] },
    ]);
  });

  it('answers on the wire with the token alone when no reason may be revealed', async () => {
    const { secret } = (await (
      await a.call('/api/v1/exchange/match-keys/b', { method: 'PUT', json: {} })
    ).json()) as { secret: string };
    const tokens = [2, 1, 7].map((n) => matchToken(Buffer.from(secret, 'hex'), key(n)));
    const response = await fetch(`${a.base}/exchange/v1/match`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bKeyAtA}` },
      body: JSON.stringify({ peer: 'b', tokens, lists: ['blocked'] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { matches: Record<string, unknown>[]; checked: number };
    expect(body.checked).toBe(3);
    const byToken = new Map(body.matches.map((m) => [m.token, m]));
    expect(byToken.get(tokens[0]!)).toEqual({ token: tokens[0], matched: true });
    expect(byToken.get(tokens[1]!)).toEqual({
      token: tokens[1],
      matched: true,
      imei: key(1),
      status: 'blocked',
      reasons: ['stolen'],
    });
    expect(byToken.has(tokens[2]!)).toBe(false);
  });

  it('finds nothing with a wrong key', async () => {
    await setMatchKey(b.context.store.db, { peerId: 'wrong', rotate: true });
    const result = await runMatch(b.context.store.db, {
      peerUrl: a.base,
      peerId: 'wrong',
      as: 'b',
      apiKey: bKeyAtA,
    });
    expect(result.sent).toBe(6);
    expect(result.matches).toEqual([]);
  });

  it('runs from the openceir command through each registry’s admin API', async () => {
    const cli = (server: string, ...args: string[]) =>
      runCli([...args, '--server', server, '--api-key', TEST_ADMIN_KEY], {}, 60_000);
    const made = await cli(a.base, 'exchange', 'match-key', 'b2', '--reveal', 'counterfeit', '--json');
    expect(made.code).toBe(0);
    const { secret } = JSON.parse(made.stdout) as { secret: string };
    expect((await cli(b.base, 'exchange', 'match-key', 'a2', '--secret', secret, '--no-reveal')).code).toBe(
      0,
    );
    const listed = await cli(a.base, 'exchange', 'match-key', '--list');
    expect(listed.stdout).toContain('b2                   reveal counterfeit');
    expect(listed.stdout).not.toContain(secret);
    const match = await cli(
      b.base,
      'exchange',
      'match',
      a.base,
      '--peer-id',
      'a2',
      '--as',
      'b2',
      '--list',
      'blocked',
      '--peer-api-key',
      bKeyAtA,
    );
    // b2 is not bound to an organisation, so B's key may use it; A reveals counterfeit only.
    expect(match.stderr).toBe('');
    expect(match.stdout).toBe(
      [
        '5 tokens sent to a2; 3 on its lists',
        `  ${key(1)}  matched (reason not revealed)`,
        `  ${key(2)}  blocked (counterfeit)`,
        `  ${key(3)}  blocked (counterfeit)`,
        '',
      ].join('\n'),
    );
    const refused = await cli(b.base, 'exchange', 'match-key', 'a3', '--secret', 'nothex');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('secret: must be 32 bytes as 64 hex digits');
  });

  it('refuses an oversized batch, bad tokens, unknown peers and other organisations', async () => {
    const send = (body: unknown, apiKey = bKeyAtA) =>
      fetch(`${a.base}/exchange/v1/match`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
    const many = Array.from({ length: MAX_TOKENS + 1 }, (_, i) => i.toString(16).padStart(32, '0'));
    const big = await send({ peer: 'b', tokens: many });
    expect(big.status).toBe(413);
    const problem = (await big.json()) as { invalidParams: { param: string; reason: string }[] };
    expect(problem.invalidParams[0]).toEqual({
      param: 'tokens',
      reason: `at most ${MAX_TOKENS} tokens per request; got ${MAX_TOKENS + 1}`,
    });

    const bad = await send({ peer: 'b', tokens: ['zz'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { invalidParams: { param: string }[] }).invalidParams[0]!.param).toBe(
      'tokens[0]',
    );

    expect((await send({ peer: 'nobody', tokens: [] })).status).toBe(403);
    expect((await send({ peer: 'b', tokens: [] }, 'not-a-key')).status).toBe(401);
    // An API key of another organisation may not match as b.
    await a.accounts.addOrganisation({ id: 'other', kind: 'regulator', name: 'Other' });
    const other = (await a.accounts.createApiKey('other', 'peer', 'other')).key;
    const refused = await send({ peer: 'b', tokens: [] }, other);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { cause: string }).cause).toBe('NO_MATCH_AGREEMENT');
    // The peer key writes nothing: blocking a device needs the regulator.
    const block = await fetch(`${a.base}/api/v1/devices/35693803564380/block`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bKeyAtA}` },
      body: JSON.stringify({ reason: 'stolen' }),
    });
    expect(block.status).toBe(403);
  });
});
