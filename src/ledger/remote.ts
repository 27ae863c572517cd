/**
 * A registry's ledger seen over HTTP, for followers (check nodes now; operator EIRs and peers later):
 * signed heads verified with the registry's pinned public key, entries from a position, and the
 * check-index snapshot to start from. Every head is checked before it is believed.
 */
import type { Entry } from './entry.ts';
import { headFromJson, type TreeHead, type TreeHeadJson, verifyHead } from './signing.ts';

/** Wait for a head beyond a size: the registry answers as soon as there is one, or after `waitMs`. */
export interface HeadWait {
  readonly after: number;
  readonly waitMs: number;
  readonly signal?: AbortSignal;
}

export interface LedgerSource {
  head(wait?: HeadWait): Promise<TreeHead>;
  entries(start: number, limit: number): Promise<Entry[]>;
}

export class RemoteLedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteLedgerError';
  }
}

export class RemoteLedger implements LedgerSource {
  constructor(
    readonly url: string,
    private readonly apiKey: string | null,
    /** The registry's signing key (PEM); heads signed by anything else are refused. */
    private readonly publicKeyPem: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async get(path: string, waitMs = 0, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    const timeout = AbortSignal.timeout(this.timeoutMs + waitMs);
    try {
      response = await fetch(`${this.url}${path}`, {
        headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {},
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      throw new RemoteLedgerError(
        `registry ${this.url} unreachable: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    if (!response.ok)
      throw new RemoteLedgerError(`registry ${this.url}${path.split('?')[0]} answered ${response.status}`);
    return response;
  }

  async head(wait?: HeadWait): Promise<TreeHead> {
    const path = wait ? `/ledger/v1/head?after=${wait.after}&wait=${wait.waitMs}` : '/ledger/v1/head';
    const response = await this.get(path, wait?.waitMs ?? 0, wait?.signal);
    const head = headFromJson((await response.json()) as TreeHeadJson);
    if (!verifyHead(head, this.publicKeyPem))
      throw new RemoteLedgerError(`the registry's head of size ${head.size} is not signed by its key`);
    return head;
  }

  async entries(start: number, limit: number): Promise<Entry[]> {
    const body = (await (
      await this.get(`/ledger/v1/entries?start=${start}&limit=${Math.min(limit, 10_000)}`)
    ).json()) as { entries: Entry[] };
    return body.entries;
  }

  /** The check-index snapshot the registry builds now, or as at `position` (bytes of check/snapshot.ts). */
  async snapshot(position?: number): Promise<Buffer> {
    const path = position === undefined ? '/ledger/v1/snapshot' : `/ledger/v1/snapshot?position=${position}`;
    return Buffer.from(await (await this.get(path)).arrayBuffer());
  }

  /** The registry's signing key, for trust on first use when none is configured. */
  static async publicKey(url: string, timeoutMs = 10_000): Promise<string> {
    const response = await fetch(`${url}/ledger/v1/public-key`, {
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((error: Error) => {
      throw new RemoteLedgerError(`registry ${url} unreachable: ${error.cause ?? error.message}`);
    });
    if (!response.ok)
      throw new RemoteLedgerError(`registry ${url} answered ${response.status} for its public key`);
    return response.text();
  }
}
