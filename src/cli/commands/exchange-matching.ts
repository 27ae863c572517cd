/**
 * `openceir exchange match-key …` and `openceir exchange match …`: pseudonymised matching with a peer
 * registry (docs/exchange-matching.md). Run against the local database, or through a server's admin
 * API when --server is given or a running server holds the embedded database.
 */
import type { Command } from 'commander';
import {
  MATCH_LISTS,
  type MatchKeyInfo,
  type MatchList,
  matchKeys,
  type RunMatchResult,
  removeMatchKey,
  runMatch,
  setMatchKey,
} from '../../exchange/matching/matching.ts';
import { MatchInputError } from '../../exchange/matching/tokens.ts';
import { RegistryInputError, RegistryOperations } from '../../registry/operations.ts';
import type { Executor } from '../../store/index.ts';
import { RemoteError, RemoteRegistry } from '../remote.ts';
import { type CommonOptions, collect, print, withConnectionOptions, withRegistry } from './common.ts';

/** The database when the CLI opened it, or the server to call. */
type Target = { db: Executor } | { server: RemoteRegistry };

async function call<T>(server: RemoteRegistry, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & Record<string, never>;
  if (!response.ok) throw new RemoteError(response.status, json);
  return json;
}

/** Runs work on the local database or the server; a refused input prints the field and rule and exits 1. */
function withTarget(options: CommonOptions, work: (target: Target) => Promise<void>): Promise<void> {
  return withRegistry(options, async (api) => {
    if (!(api instanceof RegistryOperations) && !(api instanceof RemoteRegistry))
      throw new Error('no registry to match with');
    const target: Target = api instanceof RegistryOperations ? { db: api.ledger.db } : { server: api };
    try {
      await work(target);
    } catch (error) {
      if (error instanceof MatchInputError)
        throw new RegistryInputError([{ param: error.field, reason: error.rule }], 'INVALID_MATCH_REQUEST');
      throw error;
    }
  });
}

const splitList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

export function exchangeMatchingCommands(exchange: Command): void {
  withConnectionOptions(
    exchange
      .command('match-key')
      .description(
        'create or change the secret shared with a peer for pseudonymised matching; prints it (give it to the peer out of band)',
      )
      .argument('[peer-id]', 'our id for the peer registry (not with --list)')
      .option('--secret <hex>', 'set this secret (64 hex digits) agreed with the peer')
      .option('--rotate', 'replace the secret with a new random one')
      .option(
        '--reveal <reasons>',
        'reasons whose matches the peer may see in clear, e.g. stolen,lost',
        splitList,
      )
      .option('--no-reveal', 'reveal nothing in clear (only "matched")')
      .option(
        '--organisation <id>',
        'only API keys of this organisation may match as the peer ("" to unbind)',
      )
      .option('--list', 'list the peers with a match key instead (no secrets)')
      .option('--remove', 'forget the peer’s match key'),
  ).action(
    (
      peerId: string | undefined,
      options: CommonOptions & {
        secret?: string;
        rotate?: boolean;
        reveal?: string[] | boolean;
        organisation?: string;
        list?: boolean;
        remove?: boolean;
      },
    ) =>
      withTarget(options, async (target) => {
        if (options.list) {
          const keys =
            'db' in target
              ? await matchKeys(target.db)
              : (
                  await call<{ matchKeys: MatchKeyInfo[] }>(
                    target.server,
                    'GET',
                    '/api/v1/exchange/match-keys',
                  )
                ).matchKeys;
          print(options, keys, () =>
            keys
              .map(
                (k) =>
                  `${k.peerId.padEnd(20)} reveal ${k.revealReasons.join(',') || '(nothing)'}${k.organisationId ? `, organisation ${k.organisationId}` : ''}\n`,
              )
              .join(''),
          );
          return;
        }
        if (peerId === undefined) throw new MatchInputError('peer-id', 'name the peer, or pass --list');
        const path = `/api/v1/exchange/match-keys/${encodeURIComponent(peerId)}`;
        if (options.remove) {
          const removed =
            'db' in target
              ? await removeMatchKey(target.db, peerId)
              : (await call<{ removed: boolean }>(target.server, 'DELETE', path)).removed;
          print(options, { removed }, () =>
            removed ? `match key of ${peerId} removed\n` : `no match key for ${peerId}\n`,
          );
          return;
        }
        const change = {
          secret: options.secret,
          rotate: options.rotate,
          revealReasons: Array.isArray(options.reveal)
            ? options.reveal
            : options.reveal === false
              ? []
              : undefined,
          organisationId: options.organisation,
        };
        const result =
          'db' in target
            ? await setMatchKey(target.db, { ...change, peerId })
            : await call<MatchKeyInfo & { secret: string; created: boolean }>(
                target.server,
                'PUT',
                path,
                change,
              );
        print(
          options,
          result,
          () =>
            `${result.created ? 'created' : 'updated'} match key for ${result.peerId}; reveal ${result.revealReasons.join(',') || '(nothing)'}\n` +
            `secret (share with the peer, keep out of logs): ${result.secret}\n`,
        );
      }),
  );

  withConnectionOptions(
    exchange
      .command('match')
      .description(
        'find the devices of our lists that a peer also lists, without revealing the others (keyed tokens)',
      )
      .argument('<peer-url>', 'base URL of the peer registry, e.g. https://ceir.peer.example')
      .requiredOption('--peer-id <id>', 'our id for the peer (whose match key to use)')
      .option('--as <id>', 'the peer’s id for us (default: --peer-id, one agreement name on both sides)')
      .option(
        '--list <list>',
        `our list to match: ${MATCH_LISTS.join(', ')}; repeatable (default both)`,
        collect,
      )
      .option('--peer-api-key <key>', 'the API key the peer issued to us (default $OPENCEIR_PEER_API_KEY)'),
  ).action(
    (
      peerUrl: string,
      options: CommonOptions & { peerId: string; as?: string; list?: string[]; peerApiKey?: string },
    ) =>
      withTarget(options, async (target) => {
        const request = {
          peerUrl,
          peerId: options.peerId,
          as: options.as,
          lists: options.list as MatchList[] | undefined,
          peerApiKey: options.peerApiKey ?? process.env.OPENCEIR_PEER_API_KEY,
        };
        const result =
          'db' in target
            ? await runMatch(target.db, { ...request, apiKey: request.peerApiKey ?? null })
            : await call<RunMatchResult>(target.server, 'POST', '/api/v1/exchange/matches', request);
        print(options, result, () =>
          [
            `${result.sent} tokens sent to ${result.peer}; ${result.matches.length} on its lists`,
            ...result.matches.map(
              (m) =>
                `  ${m.imei}  ${m.theirStatus ? `${m.theirStatus} (${m.theirReasons.join(',')})` : 'matched (reason not revealed)'}`,
            ),
            '',
          ].join('\n'),
        );
      }),
  );
}
