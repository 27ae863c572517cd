/**
 * One Diameter peer connection, responder side (RFC 6733 §5): capabilities exchange first (CER/CEA,
 * 3010 for a peer not on the allow-list, 5010 without a common application), then requests in order —
 * DWR/DWA watchdog, DPR/DPA, S13 ECR — with every complete message in a chunk handled at once, so
 * pipelined requests never wait. The watchdog (RFC 3539) sends DWR after Tw of silence and closes a
 * connection that stays silent for another Tw.
 */
import type { Socket } from 'node:net';
import type { CheckService } from '../../check/service.ts';
import {
  type Avp,
  address,
  DecodeError,
  decodeMessage,
  encodeMessage,
  FrameReader,
  find,
  findAll,
  grouped,
  type Message,
  octets,
  readGrouped,
  readU32,
  readUtf8,
  u32,
  utf8,
} from './codec.ts';
import { APP_RELAY, APP_S13, AVP, CMD, FLAG, RESULT, VENDOR_3GPP } from './dictionary.ts';
import { handleEcr, type Identity } from './s13.ts';

export interface PeerPolicy {
  /** Whether a peer with this identity, connecting from this address, may talk to the EIR. */
  allows(originHost: string, originRealm: string, address: string): boolean;
}

export interface PeerOptions {
  readonly local: Identity;
  readonly productName: string;
  readonly firmwareRevision: number;
  readonly originStateId: number;
  readonly policy: PeerPolicy;
  readonly watchdogMs: number;
  /**
   * ECRs of this connection whose answers have not left yet (waiting for their sightings to be written)
   * above which a new ECR is answered 3004 DIAMETER_TOO_BUSY (RFC 6733 §7.1.3) at once; 0: no bound.
   */
  readonly maxPending?: number;
  readonly onOpen?: (peer: Identity) => void;
  readonly onClose?: (peer: Identity | null, reason: string) => void;
}

type State = 'wait-cer' | 'open' | 'closing';

let nextHopByHop = Math.floor(Math.random() * 0x7fffffff);

const hasProxyInfo = (request: Message) =>
  request.avps.some((a) => a.code === AVP.proxyInfo && a.vendorId === 0);

/** The request's Session-Id when it can be copied into the answer. */
function readableSession(request: Message): string | null {
  const session = find(request.avps, AVP.sessionId);
  if (!session) return null;
  try {
    return readUtf8(session);
  } catch {
    return null;
  }
}

export class PeerConnection {
  private state: State = 'wait-cer';
  private readonly reader = new FrameReader();
  private peer: Identity | null = null;
  private lastHeard = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private pendingDwr: number | null = null;
  /** ECRs answered but not written yet: a bounded queue per connection. */
  private pending = 0;

  constructor(
    private readonly socket: Socket,
    private readonly service: CheckService,
    private readonly options: PeerOptions,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.watchdog) clearInterval(this.watchdog);
      this.options.onClose?.(this.peer, this.state === 'closing' ? 'disconnected' : 'connection lost');
    });
    this.watchdog = setInterval(() => this.tick(), Math.max(250, Math.floor(options.watchdogMs / 4)));
    this.watchdog.unref();
  }

  get identity(): Identity | null {
    return this.peer;
  }

  private receive(chunk: Buffer): void {
    this.lastHeard = Date.now();
    const frames = this.reader.push(chunk);
    const out: Buffer[] = [];
    const pendingBefore = this.pending;
    for (const frame of frames) {
      if (this.state === 'closing') break;
      const answer = this.handle(frame);
      if (answer) out.push(answer);
    }
    const queued = this.pending - pendingBefore;
    const unframeable = this.reader.error !== null && this.state !== 'closing';
    if (unframeable) this.state = 'closing';
    // Write-ahead: the answers leave once the sightings of their checks are in the log (at once when
    // they recorded none; else with every other answer of this event-loop turn, after one write).
    this.service.answer(() => {
      this.pending -= queued;
      if (out.length > 0) this.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      if (unframeable && !this.socket.destroyed) {
        // Without a readable header the message boundaries are lost: what came before it is answered
        // (above), nothing after it can be, and the connection closes once the answers are out.
        this.socket.end();
        setTimeout(() => this.socket.destroy(), 1_000).unref();
      }
    });
  }

  private write(bytes: Buffer): void {
    if (this.socket.destroyed) return;
    if (!this.socket.write(bytes)) {
      // Backpressure: stop reading until the peer has taken what we answered.
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }

  /** RFC 6733 §6.2: the answer copies the request's identifiers, P bit and Proxy-Info AVPs, in order. */
  private answer(request: Message, avps: Avp[], error = false): Buffer {
    return encodeMessage({
      flags: (request.flags & FLAG.proxiable) | (error ? FLAG.error : 0),
      command: request.command,
      applicationId: request.applicationId,
      hopByHop: request.hopByHop,
      endToEnd: request.endToEnd,
      avps: hasProxyInfo(request) ? [...avps, ...findAll(request.avps, AVP.proxyInfo)] : avps,
    });
  }

  /**
   * An answer carrying only a Result-Code (and Failed-AVP, Error-Message): protocol errors set the E bit.
   * The request's Session-Id comes first when it is readable (RFC 6733 §6.2); an ECA that is no protocol
   * error keeps its mandatory Auth-Session-State (TS 29.272 §7.2.20).
   */
  private failure(
    request: Message,
    resultCode: number,
    message: string,
    failedAvp: Avp | null,
    sessionId: string | null = null,
  ): Buffer {
    const error = resultCode >= 3000 && resultCode < 4000;
    const session = sessionId ?? readableSession(request);
    const avps: Avp[] = [];
    if (session !== null) avps.push(utf8(AVP.sessionId, session));
    avps.push(u32(AVP.resultCode, resultCode));
    if (request.command === CMD.meIdentityCheck && !error) avps.push(u32(AVP.authSessionState, 1));
    avps.push(...this.origin(), utf8(AVP.errorMessage, message.slice(0, 200), { mandatory: false }));
    if (failedAvp) avps.push(grouped(AVP.failedAvp, [failedAvp]));
    return this.answer(request, avps, error);
  }

  private origin(): Avp[] {
    return [
      utf8(AVP.originHost, this.options.local.originHost),
      utf8(AVP.originRealm, this.options.local.originRealm),
    ];
  }

  private handle(frame: Buffer): Buffer | null {
    let message: Message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      // The header was readable (the frame reader checked it): answer the request with the error.
      const head = {
        flags: frame.readUInt8(4),
        command: frame.readUIntBE(5, 3),
        applicationId: frame.readUInt32BE(8),
        hopByHop: frame.readUInt32BE(12),
        endToEnd: frame.readUInt32BE(16),
        avps: [],
      };
      if ((head.flags & FLAG.request) === 0 || this.state === 'wait-cer') {
        if (this.state === 'wait-cer') this.socket.destroy();
        return null;
      }
      return this.failure(head, error.resultCode, error.message, error.failedAvp);
    }
    const isRequest = (message.flags & FLAG.request) !== 0;
    if (!isRequest) {
      if (message.command === CMD.deviceWatchdog && message.hopByHop === this.pendingDwr)
        this.pendingDwr = null;
      return null;
    }
    if (this.state === 'wait-cer') {
      if (message.command !== CMD.capabilitiesExchange) {
        // RFC 6733 §5.3: nothing before the capabilities exchange.
        this.socket.destroy();
        return null;
      }
      return this.capabilities(message);
    }
    switch (message.command) {
      case CMD.deviceWatchdog:
        return this.answer(message, [
          u32(AVP.resultCode, RESULT.success),
          ...this.origin(),
          u32(AVP.originStateId, this.options.originStateId),
        ]);
      case CMD.disconnectPeer:
        this.state = 'closing';
        setTimeout(() => this.socket.end(), 1_000).unref();
        return this.answer(message, [u32(AVP.resultCode, RESULT.success), ...this.origin()]);
      case CMD.capabilitiesExchange:
        return this.failure(
          message,
          RESULT.unableToComply,
          'capabilities were already exchanged on this connection',
          null,
        );
      case CMD.meIdentityCheck: {
        if (message.applicationId !== APP_S13) {
          return this.failure(
            message,
            RESULT.applicationUnsupported,
            `command 324 belongs to application ${APP_S13}, not ${message.applicationId}`,
            null,
          );
        }
        const max = this.options.maxPending ?? 0;
        if (max > 0 && this.pending >= max) {
          // Refused before the ECR is read any further, and not counted: its answer waits for nothing.
          this.service.refuse('s13', true);
          return this.failure(message, RESULT.tooBusy, 'too many requests pending on this connection', null);
        }
        this.pending += 1;
        const outcome = handleEcr(message, this.service, this.options.local, this.peer!);
        if (outcome.kind === 'answer') return this.answer(message, outcome.avps);
        return this.failure(
          message,
          outcome.resultCode,
          outcome.message,
          outcome.failedAvp,
          outcome.sessionId,
        );
      }
      default:
        return this.failure(
          message,
          RESULT.commandUnsupported,
          `command ${message.command} is not supported by this EIR`,
          null,
        );
    }
  }

  private capabilities(cer: Message): Buffer {
    const local = this.socket.localAddress ?? '127.0.0.1';
    const cea = (resultCode: number, extra: Avp[] = []) =>
      this.answer(
        cer,
        [
          u32(AVP.resultCode, resultCode),
          ...this.origin(),
          address(AVP.hostIpAddress, local),
          u32(AVP.vendorId, 0),
          utf8(AVP.productName, this.options.productName, { mandatory: false }),
          u32(AVP.originStateId, this.options.originStateId),
          u32(AVP.supportedVendorId, VENDOR_3GPP),
          grouped(AVP.vendorSpecificApplicationId, [
            u32(AVP.vendorId, VENDOR_3GPP),
            u32(AVP.authApplicationId, APP_S13),
          ]),
          u32(AVP.firmwareRevision, this.options.firmwareRevision, { mandatory: false }),
          ...extra,
        ],
        resultCode >= 3000 && resultCode < 4000,
      );
    let host: string;
    let realm: string;
    let applications: number[];
    try {
      const hostAvp = find(cer.avps, AVP.originHost);
      const realmAvp = find(cer.avps, AVP.originRealm);
      if (!hostAvp || !realmAvp) {
        this.closeSoon();
        // Failed-AVP names the missing AVP with empty data (RFC 6733 §7.5).
        const missing = octets(hostAvp ? AVP.originRealm : AVP.originHost, Buffer.alloc(0));
        return cea(RESULT.missingAvp, [grouped(AVP.failedAvp, [missing])]);
      }
      host = readUtf8(hostAvp);
      realm = readUtf8(realmAvp);
      applications = [
        ...findAll(cer.avps, AVP.authApplicationId).map(readU32),
        ...findAll(cer.avps, AVP.acctApplicationId).map(readU32),
        ...findAll(cer.avps, AVP.vendorSpecificApplicationId).flatMap((v) =>
          findAll(readGrouped(v), AVP.authApplicationId).map(readU32),
        ),
      ];
    } catch (error) {
      this.closeSoon();
      if (!(error instanceof DecodeError)) return cea(RESULT.unableToComply);
      return cea(error.resultCode, error.failedAvp ? [grouped(AVP.failedAvp, [error.failedAvp])] : []);
    }
    const remote = (this.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (!this.options.policy.allows(host, realm, remote)) {
      this.closeSoon();
      return cea(RESULT.unknownPeer);
    }
    if (!applications.some((a) => a === APP_S13 || a === APP_RELAY)) {
      this.closeSoon();
      return cea(RESULT.noCommonApplication);
    }
    this.peer = { originHost: host, originRealm: realm };
    this.state = 'open';
    this.options.onOpen?.(this.peer);
    return cea(RESULT.success);
  }

  /** After a refused capabilities exchange: the CEA goes out, then the connection closes. */
  private closeSoon(): void {
    this.state = 'closing';
    setImmediate(() => this.socket.end());
  }

  private tick(): void {
    if (this.state !== 'open') return;
    const silent = Date.now() - this.lastHeard;
    if (this.pendingDwr !== null && silent >= this.options.watchdogMs * 2) {
      this.options.onClose?.(this.peer, 'watchdog: no answer');
      this.socket.destroy();
    } else if (this.pendingDwr === null && silent >= this.options.watchdogMs) {
      this.pendingDwr = nextHopByHop++ >>> 0;
      this.write(
        encodeMessage({
          flags: FLAG.request,
          command: CMD.deviceWatchdog,
          applicationId: 0,
          hopByHop: this.pendingDwr,
          endToEnd: this.pendingDwr,
          avps: [...this.origin(), u32(AVP.originStateId, this.options.originStateId)],
        }),
      );
    }
  }

  /** Sends DPR (DO_NOT_WANT_TO_TALK_TO_YOU is wrong for a shutdown: REBOOTING) and closes. */
  disconnect(): void {
    if (this.state !== 'open') {
      this.socket.destroy();
      return;
    }
    this.state = 'closing';
    const id = nextHopByHop++ >>> 0;
    this.write(
      encodeMessage({
        flags: FLAG.request,
        command: CMD.disconnectPeer,
        applicationId: 0,
        hopByHop: id,
        endToEnd: id,
        avps: [...this.origin(), u32(AVP.disconnectCause, 0)],
      }),
    );
    setTimeout(() => this.socket.destroy(), 500).unref();
  }
}
