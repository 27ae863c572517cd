/**
 * Operations metrics read from the registry's database when Prometheus scrapes: ledger growth,
 * how far operators and peer registries are behind, analytics import and classification runs, the
 * message outbox. Read on scrape rather than counted where things happen, so every process of the
 * registry reports the same figures (whoever appended, imported or delivered) and the parts that do
 * the work stay free of metrics code. Every read is small: tables of a few rows, and the ledger's
 * per-action counts kept up incrementally from the last position counted.
 */
import { sql } from 'drizzle-orm';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type Executor, query } from '../store/index.ts';

export interface InsightMetricsOptions {
  /** Told when a read fails (the scrape still answers, with the last values). */
  readonly onError?: (error: unknown, source: string) => void;
}

const seconds = (value: string | Date | null | undefined): number | null =>
  value === null || value === undefined ? null : new Date(value).getTime() / 1000;

/** Registers the metrics on `registry`; they read `db` at each scrape. */
export function registerInsightMetrics(
  registry: Registry,
  db: Executor,
  options: InsightMetricsOptions = {},
): void {
  const registers = [registry];
  const readErrors = new Counter({
    name: 'openceir_metrics_read_errors_total',
    help: 'Failed reads of the database while collecting metrics, by source',
    labelNames: ['source'],
    registers,
  });
  /** Runs a read; a failure is counted and reported, and the metric keeps its last values. */
  const guarded = async (source: string, read: () => Promise<void>) => {
    try {
      await read();
    } catch (error) {
      readErrors.inc({ source });
      options.onError?.(error, source);
    }
  };

  // Ledger growth: the tree size, and entries per action counted from where the last scrape stopped.
  const counted = new Map<string, number>();
  let countedTo = 0;
  new Gauge({
    name: 'openceir_ledger_tree_size',
    help: 'Entries in the ledger (its Merkle tree size)',
    registers,
    async collect() {
      await guarded('ledger', async () => {
        const [row] = await query<{ size: string | number }>(
          db,
          sql`select size from ledger_state where id = 1`,
        );
        this.set(Number(row?.size ?? 0));
      });
    },
  });
  new Gauge({
    name: 'openceir_ledger_entries',
    help: 'Ledger entries by action (block, unblock, track, allow, pair, …); grows only',
    labelNames: ['action'],
    registers,
    async collect() {
      await guarded('ledger', async () => {
        const [state] = await query<{ size: string | number }>(
          db,
          sql`select size from ledger_state where id = 1`,
        );
        const size = Number(state?.size ?? 0);
        if (size > countedTo) {
          const rows = await query<{ action: string; n: string | number }>(
            db,
            sql`select action, count(*) as n from ledger_entry where seq >= ${countedTo} and seq < ${size} group by action`,
          );
          for (const row of rows) counted.set(row.action, (counted.get(row.action) ?? 0) + Number(row.n));
          countedTo = size;
        }
        for (const [action, n] of counted) this.set({ action }, n);
      });
    },
  });

  // Followers: operator EIRs (acknowledged position) and peer registries (processed vs verified head).
  new Gauge({
    name: 'openceir_operator_delivery_lag_entries',
    help: 'Ledger entries an operator has not acknowledged yet (tree size minus acknowledged position)',
    labelNames: ['operator'],
    registers,
    async collect() {
      await guarded('operators', async () => {
        const rows = await query<{ operator_id: string; lag: string | number }>(
          db,
          sql`select d.operator_id, greatest(0, s.size - d.acknowledged_position) as lag
              from operator_delivery d cross join ledger_state s where s.id = 1`,
        );
        this.reset();
        for (const row of rows) this.set({ operator: row.operator_id }, Number(row.lag));
      });
    },
  });
  new Gauge({
    name: 'openceir_operator_delivery_failed_attempts',
    help: 'Failed webhook deliveries to an operator since its last success',
    labelNames: ['operator'],
    registers,
    async collect() {
      await guarded('operators', async () => {
        const rows = await query<{ operator_id: string; attempts: number }>(
          db,
          sql`select operator_id, attempts from operator_delivery`,
        );
        this.reset();
        for (const row of rows) this.set({ operator: row.operator_id }, Number(row.attempts));
      });
    },
  });
  new Gauge({
    name: 'openceir_peer_lag_entries',
    help: 'Entries of a peer registry’s last verified head not processed yet',
    labelNames: ['peer', 'state'],
    registers,
    async collect() {
      await guarded('peers', async () => {
        const rows = await query<{ id: string; state: string; lag: string | number }>(
          db,
          sql`select id, state, greatest(0, coalesce(head_size, 0) - position) as lag from peer`,
        );
        this.reset();
        for (const row of rows) this.set({ peer: row.id, state: row.state }, Number(row.lag));
      });
    },
  });
  new Gauge({
    name: 'openceir_peer_last_contact_timestamp_seconds',
    help: 'When a peer registry last answered (Unix time)',
    labelNames: ['peer'],
    registers,
    async collect() {
      await guarded('peers', async () => {
        const rows = await query<{ id: string; last_contact: string | Date | null }>(
          db,
          sql`select id, last_contact from peer where last_contact is not null`,
        );
        this.reset();
        for (const row of rows) this.set({ peer: row.id }, seconds(row.last_contact)!);
      });
    },
  });

  // Analytics: classify and listgen runs, network data and list imports.
  new Gauge({
    name: 'openceir_analytics_runs',
    help: 'Analytics runs by command (classify, listgen) and status (running, success, error)',
    labelNames: ['command', 'status'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        const rows = await query<{ command: string; status: string; n: string | number }>(
          db,
          sql`select command, status, count(*) as n from analytics_run group by command, status`,
        );
        this.reset();
        for (const row of rows) this.set({ command: row.command, status: row.status }, Number(row.n));
      });
    },
  });
  const lastRun = async () =>
    query<{ command: string; finished: string | Date; took: string | number }>(
      db,
      sql`select distinct on (command) command, finished_at as finished,
            extract(epoch from finished_at - started_at) as took
          from analytics_run where status = 'success' and finished_at is not null
          order by command, finished_at desc`,
    );
  new Gauge({
    name: 'openceir_analytics_run_last_success_timestamp_seconds',
    help: 'When the last successful analytics run of a command finished (Unix time)',
    labelNames: ['command'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        this.reset();
        for (const row of await lastRun()) this.set({ command: row.command }, seconds(row.finished)!);
      });
    },
  });
  new Gauge({
    name: 'openceir_analytics_run_last_duration_seconds',
    help: 'How long the last successful analytics run of a command took',
    labelNames: ['command'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        this.reset();
        for (const row of await lastRun()) this.set({ command: row.command }, Number(row.took));
      });
    },
  });
  const imports = async () =>
    query<{ kind: string; n: string | number; rows: string | number; last: string | Date | null }>(
      db,
      sql`select 'network' as kind, count(*) as n, coalesce(sum(rows), 0) as rows, max(imported_at) as last
            from analytics_import
          union all
          select list, count(*), coalesce(sum(rows), 0), max(imported_at) from analytics_list_import group by list`,
    );
  new Gauge({
    name: 'openceir_analytics_imports',
    help: 'Analytics imports by kind (network data, subscribers, association lists)',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        this.reset();
        for (const row of await imports()) this.set({ kind: row.kind }, Number(row.n));
      });
    },
  });
  new Gauge({
    name: 'openceir_analytics_import_rows',
    help: 'Rows read by analytics imports, by kind',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        this.reset();
        for (const row of await imports()) this.set({ kind: row.kind }, Number(row.rows));
      });
    },
  });
  new Gauge({
    name: 'openceir_analytics_import_last_timestamp_seconds',
    help: 'When the last analytics import of a kind was made (Unix time)',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guarded('analytics', async () => {
        this.reset();
        for (const row of await imports()) if (row.last) this.set({ kind: row.kind }, seconds(row.last)!);
      });
    },
  });

  // Messages to people (SMS, e-mail) waiting or given up: a growing queue means a channel is down.
  new Gauge({
    name: 'openceir_outbox_messages',
    help: 'Messages in the outbox not sent, by channel and state (queued, failed)',
    labelNames: ['channel', 'state'],
    registers,
    async collect() {
      await guarded('outbox', async () => {
        const rows = await query<{ channel: string; state: string; n: string | number }>(
          db,
          sql`select channel, state, count(*) as n from outbox where state in ('queued', 'failed') group by channel, state`,
        );
        this.reset();
        for (const row of rows) this.set({ channel: row.channel, state: row.state }, Number(row.n));
      });
    },
  });
}
