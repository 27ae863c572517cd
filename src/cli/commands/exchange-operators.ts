/**
 * `openceir exchange webhook|eir|operators`: operator EIR sync (docs/exchange-operators.md).
 *   openceir exchange webhook set <operator> <url>     prints the new signing secret (once)
 *   openceir exchange webhook remove <operator>
 *   openceir exchange eir set <operator> <url>         the EIR's N5g-eir API root, for the audit
 *   openceir exchange eir remove <operator>
 *   openceir exchange operators                        delivery status per operator
 * Like the registry commands, they open the database, or go through the server that holds it (or
 * `--server`) with the admin key; `OperatorSyncApi` is the one interface of both ways.
 */
import type { Command } from 'commander';
import { buildIndex } from '../../check/build.ts';
import { type Config, loadConfig } from '../../config/load.ts';
import { type AuditReport, auditOperators } from '../../exchange/operators/audit.ts';
import {
  DeliveryInputError,
  OperatorDeliveries,
  type OperatorStatus,
} from '../../exchange/operators/delivery.ts';
import {
  expectedVerdicts,
  openNetworkData,
  prefixesFromAnalyticsConfig,
} from '../../exchange/operators/sources.ts';
import { openRegistry, resolveAdminApiKey } from '../../server.ts';
import { openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { RemoteError } from '../remote.ts';
import { type CommonOptions, print, withConnectionOptions } from './common.ts';

export interface AuditRequest {
  readonly sample: number;
  readonly maxLagMinutes: number;
}

/** What the exchange and audit commands ask of the registry, locally or over HTTP. */
export interface OperatorSyncApi {
  setWebhook(operator: string, url: string): Promise<{ operator: string; url: string; secret: string }>;
  removeWebhook(operator: string): Promise<{ operator: string; removed: boolean }>;
  setEir(operator: string, url: string | null): Promise<{ operator: string; url: string | null }>;
  status(): Promise<{ operators: OperatorStatus[] }>;
  audit(request: AuditRequest): Promise<AuditReport>;
}

/** The registry's REST API (docs: /api/v1/exchange/*). */
class RemoteOperatorSync implements OperatorSyncApi {
  constructor(
    private readonly base: string,
    private readonly apiKey: string,
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(600_000),
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new RemoteError(response.status, answer);
    return answer as T;
  }

  setWebhook(operator: string, url: string) {
    return this.request<{ operator: string; url: string; secret: string }>(
      'PUT',
      `/api/v1/exchange/operators/${encodeURIComponent(operator)}/webhook`,
      { url },
    );
  }
  removeWebhook(operator: string) {
    return this.request<{ operator: string; removed: boolean }>(
      'DELETE',
      `/api/v1/exchange/operators/${encodeURIComponent(operator)}/webhook`,
    );
  }
  setEir(operator: string, url: string | null) {
    const path = `/api/v1/exchange/operators/${encodeURIComponent(operator)}/eir`;
    return url === null
      ? this.request<{ operator: string; url: string | null }>('DELETE', path)
      : this.request<{ operator: string; url: string | null }>('PUT', path, { url });
  }
  status() {
    return this.request<{ operators: OperatorStatus[] }>('GET', '/api/v1/exchange/operators');
  }
  audit(request: AuditRequest) {
    return this.request<AuditReport>('POST', '/api/v1/exchange/audit', request);
  }
}

function localUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`;
}

/**
 * Runs `work` against the registry: `--server`, else the database, else (the server holds the
 * embedded database) the local server. A refused input prints its field and rule and exits `refusedExit`.
 */
export async function withOperatorSync(
  options: CommonOptions,
  work: (api: OperatorSyncApi) => Promise<void>,
  refusedExit = 1,
): Promise<void> {
  const config = loadConfig({ file: options.config });
  const key = () => options.apiKey ?? process.env.OPENCEIR_ADMIN_API_KEY ?? resolveAdminApiKey(config).key;
  let api: OperatorSyncApi;
  let close = async () => {};
  if (options.server) api = new RemoteOperatorSync(options.server.replace(/\/$/, ''), key());
  else {
    try {
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      close = () => store.close();
      try {
        await store.migrate();
      } catch (error) {
        await close();
        throw error;
      }
      const { ledger, policy } = await openRegistry(store, config);
      const deliveries = new OperatorDeliveries(
        ledger,
        prefixesFromAnalyticsConfig(config.analytics.configFile),
      );
      api = {
        setWebhook: (operator, url) => deliveries.setWebhook(operator, url),
        removeWebhook: async (operator) => ({ operator, removed: await deliveries.removeWebhook(operator) }),
        setEir: (operator, url) => deliveries.setEir(operator, url),
        status: async () => ({ operators: await deliveries.status() }),
        audit: async (request) => {
          const { index } = await buildIndex(store.db);
          const network = await openNetworkData(config, store);
          try {
            return await auditOperators(ledger, deliveries, {
              sample: request.sample,
              maxLagMs: request.maxLagMinutes * 60_000,
              expected: expectedVerdicts(index, policy),
              networkData: network.data,
            });
          } finally {
            await network.close();
          }
        },
      };
    } catch (error) {
      if (!(error instanceof DirectoryLockedError)) throw error;
      api = new RemoteOperatorSync(localUrl(config), key());
    }
  }
  try {
    await work(api);
  } catch (error) {
    const refused =
      error instanceof DeliveryInputError
        ? [{ param: error.field, reason: error.rule }]
        : error instanceof RangeError
          ? [{ param: 'input', reason: error.message }]
          : error instanceof RemoteError && error.status < 500
            ? (error.body.invalidParams ?? [
                { param: error.body.cause ?? 'request', reason: error.body.detail ?? error.message },
              ])
            : null;
    if (!refused) throw error;
    process.stderr.write(
      `openceir: refused:\n${refused.map((p) => `  ${p.param}: ${p.reason}`).join('\n')}\n`,
    );
    process.exitCode = refusedExit;
  } finally {
    await close();
  }
}

const duration = (ms: number) =>
  ms === 0
    ? '-'
    : ms < 60_000
      ? `${Math.round(ms / 1000)}s`
      : ms < 3_600_000
        ? `${Math.round(ms / 60_000)}m`
        : `${(ms / 3_600_000).toFixed(1)}h`;

export function statusText(operators: readonly OperatorStatus[]): string {
  if (operators.length === 0)
    return 'no operators (add an organisation of kind operator, or set a webhook)\n';
  const lines = [
    `${'operator'.padEnd(16)} ${'acked'.padStart(9)} ${'head'.padStart(9)} ${'behind'.padStart(8)} ${'time'.padStart(7)} ${'via'.padEnd(8)} last error`,
  ];
  for (const o of operators) {
    lines.push(
      `${o.operator.padEnd(16)} ${String(o.acknowledgedPosition).padStart(9)} ${String(o.head).padStart(9)} ` +
        `${String(o.entriesBehind).padStart(8)} ${duration(o.timeBehindMs).padStart(7)} ${(o.webhookUrl ? 'webhook' : 'pull').padEnd(8)} ` +
        `${o.lastError ? `${o.lastError} (${o.attempts} attempts, next ${o.nextAttemptAt ?? 'now'})` : '-'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function exchangeOperatorCommands(exchange: Command): void {
  const webhook = exchange
    .command('webhook')
    .description('push an operator’s list changes to its webhook (signed batches)');
  withConnectionOptions(
    webhook
      .command('set')
      .description('set the operator’s webhook URL; prints a new signing secret, shown once')
      .argument('<operator>', 'operator id (as in ledger sources operator:<id>)')
      .argument('<url>', 'http(s) URL the batches are POSTed to'),
  ).action((operator: string, url: string, options: CommonOptions) =>
    withOperatorSync(options, async (api) => {
      const result = await api.setWebhook(operator, url);
      print(
        options,
        result,
        () =>
          `webhook of ${result.operator}: ${result.url}\nsecret: ${result.secret}\n` +
          '(shown once: give it to the operator; batches carry X-OpenCEIR-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body))\n',
      );
    }),
  );
  withConnectionOptions(
    webhook
      .command('remove')
      .description('stop pushing to the operator (it can still pull)')
      .argument('<operator>', 'operator id'),
  ).action((operator: string, options: CommonOptions) =>
    withOperatorSync(options, async (api) => {
      const result = await api.removeWebhook(operator);
      print(options, result, () =>
        result.removed ? `webhook of ${operator} removed\n` : `${operator} had no webhook\n`,
      );
    }),
  );

  const eir = exchange
    .command('eir')
    .description('the operator EIR endpoint that the compliance audit checks');
  withConnectionOptions(
    eir
      .command('set')
      .description('set the operator EIR’s N5g-eir API root (http: for h2c, https: for TLS)')
      .argument('<operator>', 'operator id')
      .argument('<url>', 'e.g. http://eir.operator.example:8080'),
  ).action((operator: string, url: string, options: CommonOptions) =>
    withOperatorSync(options, async (api) => {
      const result = await api.setEir(operator, url);
      print(options, result, () => `EIR of ${result.operator}: ${result.url}\n`);
    }),
  );
  withConnectionOptions(
    eir
      .command('remove')
      .description('forget the operator EIR’s endpoint')
      .argument('<operator>', 'operator id'),
  ).action((operator: string, options: CommonOptions) =>
    withOperatorSync(options, async (api) => {
      const result = await api.setEir(operator, null);
      print(options, result, () => `EIR endpoint of ${result.operator} removed\n`);
    }),
  );

  withConnectionOptions(
    exchange
      .command('operators')
      .description(
        'delivery status per operator: acknowledged position, head, entries and time behind, last error',
      ),
  ).action((options: CommonOptions) =>
    withOperatorSync(options, async (api) => {
      const result = await api.status();
      print(options, result, () => statusText(result.operators));
    }),
  );
}
