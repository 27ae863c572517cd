/**
 * The S13 Diameter server on TCP (Node has no SCTP; peers such as freeDiameter, Open5GS and PyHSS speak
 * Diameter over TCP too). Peers are admitted by Origin-Host, Origin-Realm and source address
 * (RFC 6733 §13: whitelist peers, as freeDiameter's acl_wl does).
 */
import net, { type AddressInfo, BlockList } from 'node:net';
import type { CheckService } from '../../check/service.ts';
import { PeerConnection, type PeerPolicy } from './peer.ts';
import type { Identity } from './s13.ts';

export interface DiameterOptions {
  readonly host: string;
  readonly port: number;
  readonly originHost: string;
  readonly originRealm: string;
  /** Origin-Host values admitted; `*` admits any. */
  readonly allowedHosts: readonly string[];
  /** Origin-Realm values admitted; `*` admits any. */
  readonly allowedRealms: readonly string[];
  /** Source addresses admitted: IPs or CIDR blocks (`10.0.0.0/8`), or `*`. */
  readonly allowedAddresses: readonly string[];
  readonly watchdogMs?: number;
  /** ECRs pending per connection above which new ones are answered 3004 TOO_BUSY; 0: no bound. */
  readonly maxPending?: number;
  readonly productName?: string;
  readonly firmwareRevision?: number;
}

/** The allow-list of peers, from configuration. */
export function allowList(
  options: Pick<DiameterOptions, 'allowedHosts' | 'allowedRealms' | 'allowedAddresses'>,
): PeerPolicy {
  const anyAddress = options.allowedAddresses.includes('*');
  const blocks = new BlockList();
  for (const entry of options.allowedAddresses) {
    if (entry === '*') continue;
    const [ip, prefix] = entry.split('/') as [string, string?];
    const family = net.isIPv6(ip) ? 'ipv6' : 'ipv4';
    if (!net.isIP(ip))
      throw new Error(`diameter.allowed_addresses: ${entry} is not an IP address or CIDR block`);
    if (prefix === undefined) blocks.addAddress(ip, family);
    else blocks.addSubnet(ip, Number(prefix), family);
  }
  const matches = (list: readonly string[], value: string) =>
    list.includes('*') || list.some((v) => v.toLowerCase() === value.toLowerCase());
  return {
    allows: (host, realm, address) =>
      matches(options.allowedHosts, host) &&
      matches(options.allowedRealms, realm) &&
      (anyAddress ||
        (net.isIP(address) !== 0 && blocks.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4'))),
  };
}

export class DiameterServer {
  private readonly server: net.Server;
  private readonly connections = new Set<PeerConnection>();
  private readonly openPeers = new Map<PeerConnection, Identity>();

  constructor(
    service: CheckService,
    private readonly options: DiameterOptions,
  ) {
    const policy = allowList(options);
    const originStateId = Math.floor(Date.now() / 1000);
    this.server = net.createServer((socket) => {
      const connection: PeerConnection = new PeerConnection(socket, service, {
        local: { originHost: options.originHost, originRealm: options.originRealm },
        productName: options.productName ?? 'OpenCEIR',
        firmwareRevision: options.firmwareRevision ?? 1,
        originStateId,
        policy,
        watchdogMs: options.watchdogMs ?? 30_000,
        maxPending: options.maxPending ?? 0,
        onOpen: (peer) => this.openPeers.set(connection, peer),
        onClose: () => {
          this.connections.delete(connection);
          this.openPeers.delete(connection);
        },
      });
      this.connections.add(connection);
    });
    this.server.on('error', () => {});
  }

  /** The peers that completed the capabilities exchange and are connected now. */
  get peers(): Identity[] {
    return [...this.openPeers.values()];
  }

  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  /** Disconnects every peer (DPR, REBOOTING) and stops listening. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.disconnect();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
