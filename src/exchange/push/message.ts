/**
 * The ledger push over NATS JetStream (docs/follower-protocol.md §Push): names and the message format.
 * One message per committed batch, on subject `openceir.ledger.<registry-id>` in stream
 * `OPENCEIR_LEDGER_<registry-id>`, with JetStream message id `<registry-id>:<seq>` where seq is the
 * last entry's position, so a batch published twice (a retry, a restarted publisher) is stored once.
 * The registry id is the first 16 hex digits of the ledger signing key's id: a follower that pins the
 * key derives it without more configuration. Pure: no I/O.
 */
import type { Entry } from '../../ledger/entry.ts';
import { headFromJson, type TreeHead, type TreeHeadJson } from '../../ledger/signing.ts';

/** A batch larger than this is not pushed: followers read it over HTTP (NATS' default max payload is 1 MB). */
export const MAX_PUSH_ENTRIES = 500;

export function registryIdOf(keyId: string): string {
  return keyId.slice(0, 16).toLowerCase();
}

export const subjectOf = (registryId: string) => `openceir.ledger.${registryId}`;
export const streamOf = (registryId: string) => `OPENCEIR_LEDGER_${registryId}`;
export const messageIdOf = (registryId: string, seq: number) => `${registryId}:${seq}`;

export interface PushMessage {
  readonly registry: string;
  /** Position of the first entry; entries run to head.treeSize − 1. */
  readonly start: number;
  readonly entries: readonly Entry[];
  readonly head: TreeHeadJson;
}

export interface PushBatch {
  readonly start: number;
  readonly entries: Entry[];
  /** Not yet verified: the receiver checks the signature with the key it pinned. */
  readonly head: TreeHead;
}

/** Parses a pushed message; null when it is not one (the follower then relies on HTTP). */
export function parsePushMessage(data: Uint8Array, registryId: string): PushBatch | null {
  let body: PushMessage;
  try {
    body = JSON.parse(Buffer.from(data).toString('utf8')) as PushMessage;
  } catch {
    return null;
  }
  if (!body || body.registry !== registryId || !Number.isSafeInteger(body.start) || body.start < 0)
    return null;
  if (!Array.isArray(body.entries) || typeof body.head !== 'object' || body.head === null) return null;
  let head: TreeHead;
  try {
    head = headFromJson(body.head);
  } catch {
    return null;
  }
  if (head.size !== body.start + body.entries.length) return null;
  return { start: body.start, entries: body.entries as Entry[], head };
}
