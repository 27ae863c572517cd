/**
 * A small S13 client: capabilities exchange, ME-Identity-Check requests (pipelined: any number in
 * flight, answers matched by Hop-by-Hop identifier), watchdog answers and disconnect. Used by the
 * benchmarks and tests; real MMEs and the Erlang diameter client are the independent peers.
 */
import net from 'node:net';
import {
  type Avp,
  address,
  decodeMessage,
  encodeMessage,
  FrameReader,
  find,
  grouped,
  type Message,
  readGrouped,
  readU32,
  u32,
  utf8,
} from './codec.ts';
import { APP_S13, AVP, CMD, FLAG, VENDOR_3GPP } from './dictionary.ts';

export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
}

export interface EcaSummary {
  readonly resultCode: number | null;
  readonly experimentalResultCode: number | null;
  readonly equipmentStatus: number | null;
  readonly message: Message;
}

export class S13Client {
  private readonly socket: net.Socket;
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, (m: Message) => void>();
  private next = 1;
  private session = 0;
  private readonly closed: Promise<void>;

  private constructor(private readonly options: ClientOptions) {
    this.socket = net.connect(options.port, options.host);
    this.socket.setNoDelay(true);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk) => {
      for (const frame of this.reader.push(chunk)) {
        const message = decodeMessage(frame);
        if ((message.flags & FLAG.request) !== 0) {
          // The server's watchdog: answer it.
          if (message.command === CMD.deviceWatchdog)
            this.send({ ...message, flags: 0, avps: [u32(AVP.resultCode, 2001), ...this.origin()] });
          continue;
        }
        const resolve = this.pending.get(message.hopByHop);
        this.pending.delete(message.hopByHop);
        resolve?.(message);
      }
    });
  }

  static async connect(
    options: ClientOptions,
    extraCerAvps: Avp[] = [],
  ): Promise<{ client: S13Client; cea: Message }> {
    const client = new S13Client(options);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect', () => resolve());
      client.socket.once('error', reject);
    });
    const cea = await client.request(CMD.capabilitiesExchange, 0, [
      ...client.origin(),
      address(AVP.hostIpAddress, '127.0.0.1'),
      u32(AVP.vendorId, 0),
      utf8(AVP.productName, 'openceir-test-client', { mandatory: false }),
      u32(AVP.supportedVendorId, VENDOR_3GPP),
      grouped(AVP.vendorSpecificApplicationId, [
        u32(AVP.vendorId, VENDOR_3GPP),
        u32(AVP.authApplicationId, APP_S13),
      ]),
      ...extraCerAvps,
    ]);
    return { client, cea };
  }

  private origin(): Avp[] {
    return [utf8(AVP.originHost, this.options.originHost), utf8(AVP.originRealm, this.options.originRealm)];
  }

  private send(message: Message): void {
    this.socket.write(encodeMessage(message));
  }

  /** Sends a request and resolves with its answer. */
  request(
    command: number,
    applicationId: number,
    avps: Avp[],
    flags: number = FLAG.request,
  ): Promise<Message> {
    const id = this.next++ >>> 0;
    const answer = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.send({ flags, command, applicationId, hopByHop: id, endToEnd: id, avps });
    return answer;
  }

  /** The AVPs of an ECR for this IMEI (and SVN, IMSI). */
  ecrAvps(imei: string, svn: string | null = null, imsi: string | null = null): Avp[] {
    const terminal: Avp[] = [utf8(AVP.imei, imei, { vendorId: VENDOR_3GPP })];
    if (svn !== null) terminal.push(utf8(AVP.softwareVersion, svn, { vendorId: VENDOR_3GPP }));
    return [
      utf8(AVP.sessionId, `${this.options.originHost};${Date.now()};${++this.session}`),
      u32(AVP.authSessionState, 1),
      ...this.origin(),
      utf8(AVP.destinationRealm, this.options.destinationRealm),
      grouped(AVP.terminalInformation, terminal, { vendorId: VENDOR_3GPP }),
      ...(imsi !== null ? [utf8(AVP.userName, imsi)] : []),
    ];
  }

  async ecr(imei: string, svn: string | null = null, imsi: string | null = null): Promise<EcaSummary> {
    return summarize(
      await this.request(
        CMD.meIdentityCheck,
        APP_S13,
        this.ecrAvps(imei, svn, imsi),
        FLAG.request | FLAG.proxiable,
      ),
    );
  }

  async dwr(): Promise<Message> {
    return this.request(CMD.deviceWatchdog, 0, this.origin());
  }

  async disconnect(): Promise<Message> {
    const dpa = await this.request(CMD.disconnectPeer, 0, [...this.origin(), u32(AVP.disconnectCause, 0)]);
    this.socket.end();
    await this.closed;
    return dpa;
  }

  /** Writes raw bytes (tests of malformed input). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves when the server closes the connection. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function summarize(message: Message): EcaSummary {
  const result = find(message.avps, AVP.resultCode);
  const experimental = find(message.avps, AVP.experimentalResult);
  const status = find(message.avps, AVP.equipmentStatus, VENDOR_3GPP);
  const experimentalCode = experimental
    ? find(readGrouped(experimental), AVP.experimentalResultCode)
    : undefined;
  return {
    resultCode: result ? readU32(result) : null,
    experimentalResultCode: experimentalCode ? readU32(experimentalCode) : null,
    equipmentStatus: status ? readU32(status) : null,
    message,
  };
}
