/**
 * Operations metrics read on scrape (metrics.ts), over real HTTP on PGlite: ledger growth counted
 * incrementally, operator lag, analytics runs and imports, the outbox. Then the Grafana dashboard in
 * docs/: valid JSON, and every metric it queries exported by /metrics of the real `openceir start`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { startSystemProcess } from '../../test/support/process.ts';
import { registerInsightMetrics } from './metrics.ts';

/** `name{labels} value` lines of the Prometheus text format, as `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (match) out.set(match[1]!, Number(match[2]));
  }
  return out;
}

describe('insight metrics', () => {
  let t: TestApp;
  const scrape = async () => samples(await (await t.call('/metrics', { auth: false })).text());
  const block = (imei: string) =>
    t.call(`/api/v1/devices/${imei}/block`, { method: 'POST', json: { reason: 'stolen', source: 'police' } });

  beforeAll(async () => {
    t = await createTestApp('pglite');
    registerInsightMetrics(t.context.metrics, t.context.store.db);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('reports ledger growth by action, counted on from the last scrape', async () => {
    const before = await scrape();
    expect(before.get('openceir_ledger_tree_size')).toBe(0);
    for (const imei of ['353879234252633', '490154203237518']) expect((await block(imei)).status).toBe(200);
    let now = await scrape();
    expect(now.get('openceir_ledger_tree_size')).toBe(2);
    expect(now.get('openceir_ledger_entries{action="block"}')).toBe(2);
    expect((await block('356938035643809')).status).toBe(200);
    const unblock = await t.call('/api/v1/devices/353879234252633/unblock', {
      method: 'POST',
      json: { reason: 'stolen', source: 'police' },
    });
    expect(unblock.status).toBe(200);
    now = await scrape();
    expect(now.get('openceir_ledger_tree_size')).toBe(4);
    expect(now.get('openceir_ledger_entries{action="block"}')).toBe(3);
    expect(now.get('openceir_ledger_entries{action="unblock"}')).toBe(1);
  });

  it('reports operator lag, analytics runs and imports, and the outbox backlog', async () => {
    const db = t.context.store.db;
    await db.execute(sql`insert into operator_delivery (operator_id, acknowledged_position, attempts)
      values ('op-a', 1, 2), ('op-b', 4, 0)`);
    await db.execute(sql`insert into analytics_run (command, curr_date, status, started_at, finished_at) values
      ('classify', '2026-05-01', 'success', '2026-05-01T02:00:00Z', '2026-05-01T02:01:30Z'),
      ('classify', '2026-05-02', 'success', '2026-05-02T02:00:00Z', '2026-05-02T02:00:45Z'),
      ('classify', '2026-05-03', 'error', '2026-05-03T02:00:00Z', null),
      ('listgen', '2026-05-02', 'success', '2026-05-02T03:00:00Z', '2026-05-02T03:00:10Z')`);
    await db.execute(sql`insert into analytics_import
      (import_id, operator, file_name, start_date, end_date, rows, null_imei_rows, imported_at) values
      ('a1', 'op-a', 'a.csv', '2026-05-01', '2026-05-01', 1000, 3, '2026-05-02T01:00:00Z'),
      ('b1', 'op-b', 'b.csv', '2026-05-01', '2026-05-01', 500, 0, '2026-05-02T01:30:00Z')`);
    await db.execute(sql`insert into outbox ("to", text, kind, state) values
      ('254712000001', 'x', 'verification', 'queued'), ('254712000002', 'y', 'blocked', 'failed'),
      ('254712000003', 'z', 'blocked', 'sent')`);
    const now = await scrape();
    expect(now.get('openceir_operator_delivery_lag_entries{operator="op-a"}')).toBe(3);
    expect(now.get('openceir_operator_delivery_lag_entries{operator="op-b"}')).toBe(0);
    expect(now.get('openceir_operator_delivery_failed_attempts{operator="op-a"}')).toBe(2);
    expect(now.get('openceir_analytics_runs{command="classify",status="success"}')).toBe(2);
    expect(now.get('openceir_analytics_runs{command="classify",status="error"}')).toBe(1);
    expect(now.get('openceir_analytics_run_last_duration_seconds{command="classify"}')).toBe(45);
    expect(now.get('openceir_analytics_run_last_success_timestamp_seconds{command="listgen"}')).toBe(
      Date.parse('2026-05-02T03:00:10Z') / 1000,
    );
    expect(now.get('openceir_analytics_imports{kind="network"}')).toBe(2);
    expect(now.get('openceir_analytics_import_rows{kind="network"}')).toBe(1500);
    expect(now.get('openceir_outbox_messages{channel="sms",state="queued"}')).toBe(1);
    expect(now.get('openceir_outbox_messages{channel="sms",state="failed"}')).toBe(1);
    expect(now.has('openceir_outbox_messages{channel="sms",state="sent"}')).toBe(false);
    expect(now.get('openceir_metrics_read_errors_total') ?? 0).toBe(0);
  });
});

describe('Grafana dashboard (docs/grafana-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(path.resolve('docs/grafana-dashboard.json'), 'utf8')) as {
    schemaVersion: number;
    uid: string;
    panels: { type: string; id: number; targets?: { expr: string }[] }[];
  };
  const queried = new Set(
    dashboard.panels.flatMap((p) =>
      (p.targets ?? []).flatMap((target) => target.expr.match(/openceir_\w+/g) ?? []),
    ),
  );

  it('is a Grafana dashboard with unique panel ids, every panel querying something', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row'))
      expect(panel.targets?.length, String(panel.id)).toBeGreaterThan(0);
    expect(queried.size).toBeGreaterThan(20);
  });

  it('queries only metrics that /metrics of a running registry exports', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-metrics-'));
    const system = await startSystemProcess({
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dir,
      DATABASE_URL: '',
    });
    try {
      const text = await (await fetch(`${system.url}/metrics`)).text();
      const exported = new Set<string>();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name!);
        if (type === 'histogram')
          for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name! + suffix);
      }
      const missing = [...queried].filter((name) => !exported.has(name));
      expect(missing).toEqual([]);
      // And the other way round: every metric this module adds is on the dashboard.
      const ours = [...exported].filter((n) => /^openceir_(ledger|operator|peer|analytics|outbox)_/.test(n));
      expect(ours.filter((n) => !queried.has(n))).toEqual([]);
    } finally {
      await system.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
