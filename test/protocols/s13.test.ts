/**
 * S13 over TCP against our own client for the details, and tshark decoding the captured exchange.
 * (The Erlang/OTP diameter client, an independent implementation, is in s13-erlang.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFrom } from '../../src/check/policy.ts';
import { S13Client, summarize } from '../../src/protocols/diameter/client.ts';
import {
  decodeMessage,
  encodeMessage,
  FrameReader,
  find,
  grouped,
  type Message,
  octets,
  readGrouped,
  readU32,
  readUtf8,
  u32,
  utf8,
} from '../../src/protocols/diameter/codec.ts';
import { APP_S13, AVP, CMD, FLAG, RESULT, VENDOR_3GPP } from '../../src/protocols/diameter/dictionary.ts';
import { DiameterServer } from '../../src/protocols/diameter/server.ts';
import { ALLOWED, BLOCKED, PAIRED_IMSI, TRACKED, testService } from '../support/check.ts';
import { capture, tshark } from '../support/tshark.ts';

const restrictive = policyFrom({
  mode: 'restrictive',
  unlisted: 'unknown',
  malformed: 'tracked',
  pairingExemptsNot: ['barred'],
});

describe('S13 server', () => {
  let server: DiameterServer;
  let port: number;
  const peer = {
    host: '127.0.0.1',
    originHost: 'mme1.epc.mnc001.mcc001.3gppnetwork.org',
    originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
    destinationRealm: 'openceir.localdomain',
  };
  const connect = () => S13Client.connect({ ...peer, port });

  beforeAll(async () => {
    server = new DiameterServer(testService({ policy: restrictive }), {
      host: '127.0.0.1',
      port: 0,
      originHost: 'eir.openceir.localdomain',
      originRealm: 'openceir.localdomain',
      allowedHosts: ['*'],
      allowedRealms: ['epc.mnc001.mcc001.3gppnetwork.org'],
      allowedAddresses: ['127.0.0.1', '::1'],
      watchdogMs: 500,
    });
    port = (await server.listen()).port;
  });
  afterAll(async () => {
    await server.close();
  });

  it('exchanges capabilities: 2001 with vendor 10415 and application 16777252', async () => {
    const { client, cea } = await connect();
    expect(summarize(cea).resultCode).toBe(RESULT.success);
    expect(readUtf8(find(cea.avps, AVP.originHost)!)).toBe('eir.openceir.localdomain');
    expect(readU32(find(cea.avps, AVP.supportedVendorId)!)).toBe(VENDOR_3GPP);
    const vsai = readGrouped(find(cea.avps, AVP.vendorSpecificApplicationId)!);
    expect(readU32(find(vsai, AVP.authApplicationId)!)).toBe(APP_S13);
    expect(server.peers).toContainEqual({ originHost: peer.originHost, originRealm: peer.originRealm });
    await client.disconnect();
  });

  it('answers ECR white, black, grey and unknown; every IMEI form alike', async () => {
    const { client } = await connect();
    expect(await client.ecr(ALLOWED)).toMatchObject({
      resultCode: 2001,
      equipmentStatus: 0,
      experimentalResultCode: null,
    });
    expect(await client.ecr(BLOCKED, '23')).toMatchObject({ resultCode: 2001, equipmentStatus: 1 });
    expect(await client.ecr(`${BLOCKED}1`)).toMatchObject({ equipmentStatus: 1 });
    expect(await client.ecr(`${BLOCKED}9`)).toMatchObject({ equipmentStatus: 1 });
    expect(await client.ecr(TRACKED, '01', '001010000000099')).toMatchObject({
      resultCode: 2001,
      equipmentStatus: 2,
    });
    expect(await client.ecr(BLOCKED, '23', PAIRED_IMSI)).toMatchObject({ equipmentStatus: 0 });
    const unknown = await client.ecr('49015420323751', '01');
    expect(unknown).toMatchObject({ resultCode: null, experimentalResultCode: 5422, equipmentStatus: null });
    // No Vendor-Specific-Application-Id in an ECA (TS 29.272 §7.2.2); Session-Id first; Auth-Session-State 1.
    expect(find(unknown.message.avps, AVP.vendorSpecificApplicationId)).toBeUndefined();
    expect(unknown.message.avps[0]!.code).toBe(AVP.sessionId);
    expect(readU32(find(unknown.message.avps, AVP.authSessionState)!)).toBe(1);
    expect(unknown.message.flags & FLAG.error).toBe(0);
    await client.disconnect();
  });

  it('answers pipelined requests in any number, in one write', async () => {
    const { client } = await connect();
    const answers = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => client.ecr(i % 2 === 0 ? BLOCKED : ALLOWED, '01')),
    );
    expect(answers.filter((a) => a.equipmentStatus === 1)).toHaveLength(1000);
    expect(answers.filter((a) => a.equipmentStatus === 0)).toHaveLength(1000);
    await client.disconnect();
  });

  it('5005 with Failed-AVP for a missing Terminal-Information, 5001 for an unknown M-bit AVP, 3001 for an unknown command', async () => {
    const { client } = await connect();
    const avps = client.ecrAvps(BLOCKED).filter((a) => a.code !== AVP.terminalInformation);
    const missing = await client.request(CMD.meIdentityCheck, APP_S13, avps, FLAG.request | FLAG.proxiable);
    expect(readU32(find(missing.avps, AVP.resultCode)!)).toBe(RESULT.missingAvp);
    const failed = readGrouped(find(missing.avps, AVP.failedAvp)!);
    expect(failed[0]).toMatchObject({ code: AVP.terminalInformation, vendorId: VENDOR_3GPP });
    expect(readUtf8(find(missing.avps, AVP.sessionId)!)).toMatch(/^mme1/);

    const strange = await client.request(
      CMD.meIdentityCheck,
      APP_S13,
      [...client.ecrAvps(BLOCKED), u32(99999, 1)],
      FLAG.request | FLAG.proxiable,
    );
    expect(readU32(find(strange.avps, AVP.resultCode)!)).toBe(RESULT.avpUnsupported);
    expect(readGrouped(find(strange.avps, AVP.failedAvp)!)[0]!.code).toBe(99999);
    // Unknown AVPs without the M bit are ignored.
    const tolerated = summarize(
      await client.request(
        CMD.meIdentityCheck,
        APP_S13,
        [...client.ecrAvps(BLOCKED), u32(99999, 1, { mandatory: false })],
        FLAG.request | FLAG.proxiable,
      ),
    );
    expect(tolerated.equipmentStatus).toBe(1);

    const unknownCommand = await client.request(
      316,
      APP_S13,
      client.ecrAvps(BLOCKED),
      FLAG.request | FLAG.proxiable,
    );
    expect(readU32(find(unknownCommand.avps, AVP.resultCode)!)).toBe(RESULT.commandUnsupported);
    expect(unknownCommand.flags & FLAG.error).toBe(FLAG.error);
    const wrongApp = await client.request(
      CMD.meIdentityCheck,
      16777251,
      client.ecrAvps(BLOCKED),
      FLAG.request | FLAG.proxiable,
    );
    expect(readU32(find(wrongApp.avps, AVP.resultCode)!)).toBe(RESULT.applicationUnsupported);
    // A bad IMEI from the network is not a protocol error: the malformed policy answers (tracked).
    expect(await client.ecr('12AB')).toMatchObject({ resultCode: 2001, equipmentStatus: 2 });
    const dwa = await client.dwr();
    expect(readU32(find(dwa.avps, AVP.resultCode)!)).toBe(RESULT.success);
    await client.disconnect();
  });

  it('refuses peers not on the allow-list (3010) and peers without S13 (5010), and closes', async () => {
    const stranger = await S13Client.connect({ ...peer, originRealm: 'rogue.example', port });
    expect(summarize(stranger.cea).resultCode).toBe(RESULT.unknownPeer);
    expect(stranger.cea.flags & FLAG.error).toBe(FLAG.error);
    await stranger.client.whenClosed();

    // A CER advertising only S6a (16777251).
    const { client } = await connect();
    client.destroy();
    const net = await import('node:net');
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const cer = encodeMessage({
      flags: FLAG.request,
      command: CMD.capabilitiesExchange,
      applicationId: 0,
      hopByHop: 7,
      endToEnd: 7,
      avps: [
        utf8(AVP.originHost, peer.originHost),
        utf8(AVP.originRealm, peer.originRealm),
        u32(AVP.authApplicationId, 16777251),
      ],
    });
    socket.write(cer);
    const reply = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
    expect(readU32(find(decodeMessage(reply).avps, AVP.resultCode)!)).toBe(RESULT.noCommonApplication);
    await new Promise((resolve) => socket.once('close', resolve));
  });

  it('closes a connection that sends anything before CER, or bytes that are no Diameter', async () => {
    const net = await import('node:net');
    for (const bytes of [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      encodeMessage({
        flags: FLAG.request,
        command: CMD.deviceWatchdog,
        applicationId: 0,
        hopByHop: 1,
        endToEnd: 1,
        avps: [],
      }),
    ]) {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(bytes);
      await new Promise((resolve) => socket.once('close', resolve));
    }
  });

  it('sends DWR after a silent watchdog period, and closes a peer that never answers', async () => {
    const net = await import('node:net');
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      encodeMessage({
        flags: FLAG.request,
        command: CMD.capabilitiesExchange,
        applicationId: 0,
        hopByHop: 1,
        endToEnd: 1,
        avps: [
          utf8(AVP.originHost, peer.originHost),
          utf8(AVP.originRealm, peer.originRealm),
          u32(AVP.authApplicationId, APP_S13),
        ],
      }),
    );
    const received: number[] = [];
    socket.on('data', (d: Buffer) => received.push(d.readUIntBE(5, 3)));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received).toEqual([CMD.capabilitiesExchange, CMD.deviceWatchdog]);
  });

  // Found by scripts/fuzz.ts.
  const cerBytes = (
    id: number,
    avps = [
      utf8(AVP.originHost, peer.originHost),
      utf8(AVP.originRealm, peer.originRealm),
      u32(AVP.authApplicationId, APP_S13),
    ],
  ) =>
    encodeMessage({
      flags: FLAG.request,
      command: CMD.capabilitiesExchange,
      applicationId: 0,
      hopByHop: id,
      endToEnd: id,
      avps,
    });

  /** Writes `bytes` on a new connection and returns every message the server sent until it closed. */
  async function untilClosed(bytes: Buffer): Promise<Message[]> {
    const net = await import('node:net');
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(bytes);
    await closed;
    return new FrameReader().push(Buffer.concat(received)).map(decodeMessage);
  }

  it('answers the requests that came before bytes that are no Diameter, then closes (RFC 6733 §3)', async () => {
    const { client } = await connect();
    const ecr = (id: number) =>
      encodeMessage({
        flags: FLAG.request | FLAG.proxiable,
        command: CMD.meIdentityCheck,
        applicationId: APP_S13,
        hopByHop: id,
        endToEnd: id,
        avps: client.ecrAvps(BLOCKED),
      });
    client.destroy();
    const answers = await untilClosed(
      Buffer.concat([cerBytes(1), ecr(2), ecr(3), Buffer.from('GET / HTTP/1.1\r\n\r\n')]),
    );
    expect(answers.map((m) => [m.command, m.hopByHop, summarize(m).resultCode])).toEqual([
      [CMD.capabilitiesExchange, 1, RESULT.success],
      [CMD.meIdentityCheck, 2, RESULT.success],
      [CMD.meIdentityCheck, 3, RESULT.success],
    ]);
  });

  it('copies Session-Id and Proxy-Info into error answers; a refused ECR keeps Auth-Session-State (RFC 6733 §6.2, TS 29.272 §7.2.20)', async () => {
    const { client } = await connect();
    const proxy = grouped(AVP.proxyInfo, [utf8(280, 'dra1.example'), octets(33, Buffer.from('state'))]);
    const unknownCommand = await client.request(
      316,
      APP_S13,
      [...client.ecrAvps(BLOCKED), proxy],
      FLAG.request | FLAG.proxiable,
    );
    expect(readU32(find(unknownCommand.avps, AVP.resultCode)!)).toBe(RESULT.commandUnsupported);
    expect(unknownCommand.avps[0]!.code).toBe(AVP.sessionId);
    expect(readUtf8(unknownCommand.avps[0]!)).toMatch(/^mme1/);
    expect(find(unknownCommand.avps, AVP.proxyInfo)?.data).toEqual(proxy.data);

    const noTerminal = client.ecrAvps(BLOCKED).filter((a) => a.code !== AVP.terminalInformation);
    const missing = await client.request(
      CMD.meIdentityCheck,
      APP_S13,
      [...noTerminal, proxy],
      FLAG.request | FLAG.proxiable,
    );
    expect(readU32(find(missing.avps, AVP.resultCode)!)).toBe(RESULT.missingAvp);
    expect(readU32(find(missing.avps, AVP.authSessionState)!)).toBe(1);
    expect(find(missing.avps, AVP.proxyInfo)?.data).toEqual(proxy.data);

    const answered = await client.request(
      CMD.meIdentityCheck,
      APP_S13,
      [...client.ecrAvps(BLOCKED), proxy],
      FLAG.request | FLAG.proxiable,
    );
    expect(summarize(answered)).toMatchObject({ resultCode: RESULT.success, equipmentStatus: 1 });
    expect(find(answered.avps, AVP.proxyInfo)?.data).toEqual(proxy.data);
    await client.disconnect();
  });

  it('a CER refused for a missing or unreadable AVP names it in Failed-AVP (RFC 6733 §7.1.5)', async () => {
    const host = utf8(AVP.originHost, peer.originHost);
    const realm = utf8(AVP.originRealm, peer.originRealm);
    for (const [avps, resultCode, failed] of [
      [[host, u32(AVP.authApplicationId, APP_S13)], RESULT.missingAvp, AVP.originRealm],
      [
        [host, realm, octets(AVP.authApplicationId, Buffer.from([0, 0, 1]))],
        RESULT.invalidAvpLength,
        AVP.authApplicationId,
      ],
    ] as const) {
      const [cea] = await untilClosed(cerBytes(9, [...avps]));
      expect(readU32(find(cea!.avps, AVP.resultCode)!)).toBe(resultCode);
      expect(readGrouped(find(cea!.avps, AVP.failedAvp)!)[0]!.code).toBe(failed);
    }
  });

  it('tshark decodes CER/CEA, ECR/ECA and DPR/DPA with no malformed or expert errors', async () => {
    const pcap = await capture(port);
    const { client } = await connect();
    await client.ecr(BLOCKED, '23', '001010000000099');
    await client.ecr('49015420323751');
    await client.disconnect();
    await pcap.stop();
    const decode = ['-r', pcap.file, '-d', `tcp.port==${port},diameter`];
    expect(tshark([...decode, '-Y', '_ws.malformed || _ws.expert.severity >= error'])).toBe('');
    const fields = tshark([
      ...decode,
      '-Y',
      'diameter',
      '-T',
      'fields',
      '-E',
      'separator=|',
      '-e',
      'diameter.cmd.code',
      '-e',
      'diameter.flags.request',
      '-e',
      'diameter.applicationId',
      '-e',
      'diameter.IMEI',
      '-e',
      'diameter.Software-Version',
      '-e',
      'diameter.Result-Code',
      '-e',
      'diameter.Experimental-Result-Code',
      '-e',
      'diameter.Equipment-Status',
    ])
      .trim()
      .split('\n');
    expect(fields).toContain(`324|1|16777252|${BLOCKED}|23|||`);
    expect(fields).toContain('324|0|16777252|||2001||1');
    expect(fields).toContain('324|0|16777252||||5422|');
    expect(fields.filter((f) => f.startsWith('257|'))).toHaveLength(2);
    expect(fields.filter((f) => f.startsWith('282|'))).toHaveLength(2);
  });
});
