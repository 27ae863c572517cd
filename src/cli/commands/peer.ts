/**
 * `openceir peer add|list|show|remove|pause|resume|feed-key`: the peer registries this registry follows
 * (docs/exchange-peers.md). Like the other registry commands, they open the database, or go through
 * the server's API (`--server`, or the local server when it holds the embedded database).
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { loadConfig } from '../../config/load.ts';
import {
  DEFAULT_PEER_VIA,
  PEER_VIAS,
  PeerDirectory,
  PeerInputError,
  PeerNotFoundError,
  type PeerVia,
  type PeerView,
  viewOf,
} from '../../exchange/peers/directory.ts';
import { issueFeedKey } from '../../exchange/peers/feed.ts';
import { PolicyError, parsePolicyText } from '../../exchange/peers/policy.ts';
import { resolveAdminApiKey } from '../../server.ts';
import { type Executor, openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { type CommonOptions, print, withConnectionOptions } from './common.ts';

interface AddInput {
  readonly id: string;
  readonly url: string;
  readonly publicKey: string;
  readonly apiKey?: string;
  readonly policy?: unknown;
  readonly via?: PeerVia;
}

/** What the commands do, on the database or over HTTP. */
interface PeerApi {
  add(input: AddInput): Promise<PeerView>;
  list(): Promise<PeerView[]>;
  get(id: string): Promise<PeerView>;
  remove(id: string): Promise<void>;
  pause(id: string): Promise<PeerView>;
  resume(id: string): Promise<PeerView>;
  feedKey(id: string): Promise<string>;
}

class LocalPeers implements PeerApi {
  private readonly directory: PeerDirectory;
  constructor(private readonly db: Executor) {
    this.directory = new PeerDirectory(db);
  }
  feedKey(id: string) {
    return issueFeedKey(this.db, id);
  }
  add(input: AddInput) {
    const { publicKey, ...rest } = input;
    return this.directory.add({ ...rest, publicKeyPem: publicKey });
  }
  async list() {
    return (await this.directory.list()).map(viewOf);
  }
  async get(id: string) {
    return viewOf(await this.directory.get(id));
  }
  remove(id: string) {
    return this.directory.remove(id);
  }
  pause(id: string) {
    return this.directory.pause(id);
  }
  resume(id: string) {
    return this.directory.resume(id);
  }
}

class RemotePeers implements PeerApi {
  constructor(
    private readonly base: string,
    private readonly key: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/v1/exchange/peers${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status === 404) throw new PeerNotFoundError(path.split('/')[1] ?? '');
    if (response.status === 400) {
      const params = (answer.invalidParams as { param: string; reason: string }[]) ?? [];
      throw new PeerInputError(params.map((p) => ({ field: p.param, message: p.reason })));
    }
    if (!response.ok)
      throw new Error(`the server answered ${response.status}: ${String(answer.detail ?? '')}`);
    return answer as T;
  }

  add(input: AddInput) {
    return this.call<PeerView>('POST', '', input);
  }
  async list() {
    return (await this.call<{ peers: PeerView[] }>('GET', '')).peers;
  }
  get(id: string) {
    return this.call<PeerView>('GET', `/${encodeURIComponent(id)}`);
  }
  async remove(id: string) {
    await this.call('DELETE', `/${encodeURIComponent(id)}`);
  }
  pause(id: string) {
    return this.call<PeerView>('POST', `/${encodeURIComponent(id)}/pause`);
  }
  resume(id: string) {
    return this.call<PeerView>('POST', `/${encodeURIComponent(id)}/resume`);
  }
  async feedKey(id: string) {
    return (await this.call<{ feedKey: string }>('POST', `/${encodeURIComponent(id)}/feed-key`)).feedKey;
  }
}

async function withPeers(options: CommonOptions, work: (api: PeerApi) => Promise<void>): Promise<void> {
  const config = loadConfig({ file: options.config });
  const key = () => options.apiKey ?? process.env.OPENCEIR_ADMIN_API_KEY ?? resolveAdminApiKey(config).key;
  let api: PeerApi;
  let close = async () => {};
  if (options.server) api = new RemotePeers(options.server.replace(/\/$/, ''), key());
  else {
    try {
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      close = () => store.close();
      await store.migrate();
      api = new LocalPeers(store.db);
    } catch (error) {
      await close();
      close = async () => {};
      if (!(error instanceof DirectoryLockedError)) throw error;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      api = new RemotePeers(`http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`, key());
    }
  }
  try {
    await work(api);
  } catch (error) {
    if (error instanceof PeerInputError || error instanceof PolicyError) {
      process.stderr.write(
        `openceir: refused:\n${error.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}\n`,
      );
      process.exitCode = 1;
      return;
    }
    if (error instanceof PeerNotFoundError) {
      process.stderr.write(`openceir: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await close();
  }
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PeerInputError([{ field: what, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}

function peerText(peer: PeerView): string {
  const apply = Object.entries(peer.policy.apply)
    .map(([theirs, rule]) => `${theirs} → ${rule.action} ${rule.reason}`)
    .join(', ');
  return [
    `${peer.id}  ${peer.state}  ${peer.url}`,
    `  key id      ${peer.keyId}`,
    `  read via    ${peer.via === 'feed' ? 'its feed for us' : 'its whole ledger'}; our feed key for it: ${peer.feedKey ? 'issued' : 'none'}`,
    `  position    ${peer.position}${peer.head ? ` of signed head ${peer.head.size} (${peer.head.timestamp})` : ''}`,
    `  last contact ${peer.lastContact ?? 'never'}`,
    `  applies     ${apply || 'nothing'}`,
    `  shares      ${peer.policy.share.reasons.join(', ') || 'nothing'}`,
    ...(peer.problem ? [`  PROBLEM     ${peer.problem}`] : []),
    '',
  ].join('\n');
}

export function peerCommands(peer: Command): void {
  withConnectionOptions(
    peer
      .command('add')
      .description('follow a peer registry: its ledger signing key is exchanged out of band')
      .argument('<id>', 'our name for the peer (a-z 0-9 . _ -); its entries get source peer:<id>')
      .argument('<url>', 'base URL of its ledger API, e.g. https://ceir.example.org')
      .requiredOption('--public-key <file>', 'its ledger signing key (PEM, its GET /ledger/v1/public-key)')
      .option('--policy <file>', 'trust policy, YAML or JSON (default: stolen and lost → blocked foreign-*)')
      .option(
        '--peer-api-key <key>',
        'the key the peer issued us: its feed key for us (`openceir peer feed-key` there), or with --via ledger a follower key',
      )
      .addOption(
        new Option(
          '--via <via>',
          'feed: its feed for us, only what its policy shares (a peer key reads no ledger entries); ' +
            'ledger: its whole ledger API, only when it deliberately issued us a follower key ' +
            '(e.g. a national registry and its own regional instance)',
        )
          .choices([...PEER_VIAS])
          .default(DEFAULT_PEER_VIA),
      ),
  ).action(
    (
      id: string,
      url: string,
      options: CommonOptions & { publicKey: string; policy?: string; peerApiKey?: string; via: PeerVia },
    ) =>
      withPeers(options, async (api) => {
        const publicKey = readFile(options.publicKey, 'publicKey');
        const policy = options.policy ? parsePolicyText(readFile(options.policy, 'policy')) : undefined;
        const added = await api.add({
          id,
          url,
          publicKey,
          apiKey: options.peerApiKey,
          policy,
          via: options.via,
        });
        print(options, added, () => `peer added:\n${peerText(added)}`);
      }),
  );
  withConnectionOptions(peer.command('list').description('peers, their state, position and problem')).action(
    (options: CommonOptions) =>
      withPeers(options, async (api) => {
        const peers = await api.list();
        print(options, peers, () =>
          peers.length === 0
            ? 'no peers\n'
            : peers
                .map(
                  (p) =>
                    `${p.id.padEnd(20)} ${p.state.padEnd(8)} position ${String(p.position).padEnd(8)} ${p.url}${p.problem ? `\n  ${p.problem}` : ''}\n`,
                )
                .join(''),
        );
      }),
  );
  withConnectionOptions(peer.command('show').description('one peer in full').argument('<id>')).action(
    (id: string, options: CommonOptions) =>
      withPeers(options, async (api) => {
        const found = await api.get(id);
        print(options, found, () => peerText(found));
      }),
  );
  withConnectionOptions(
    peer
      .command('remove')
      .description('stop following a peer and forget it; entries already applied stay')
      .argument('<id>'),
  ).action((id: string, options: CommonOptions) =>
    withPeers(options, async (api) => {
      await api.remove(id);
      print(options, { removed: id }, () => `peer ${id} removed\n`);
    }),
  );
  for (const action of ['pause', 'resume'] as const) {
    withConnectionOptions(
      peer
        .command(action)
        .description(
          action === 'pause'
            ? 'stop following a peer for now'
            : 'follow a paused or stopped peer again from its position, after a person has decided',
        )
        .argument('<id>'),
    ).action((id: string, options: CommonOptions) =>
      withPeers(options, async (api) => {
        const changed = await api[action](id);
        print(options, changed, () => `peer ${id} ${changed.state}\n`);
      }),
    );
  }
  withConnectionOptions(
    peer
      .command('feed-key')
      .description(
        'issue (or replace) the key the peer reads our feed with; printed once, give it to the peer',
      )
      .argument('<id>'),
  ).action((id: string, options: CommonOptions) =>
    withPeers(options, async (api) => {
      const feedKey = await api.feedKey(id);
      print(options, { peer: id, feedKey }, () => `${feedKey}\n`);
    }),
  );
}
