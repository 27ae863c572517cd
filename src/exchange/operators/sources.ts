/**
 * What the operator sync and the audit read from the other parts, in one place for the REST routes,
 * the CLI and the server: operators' home MCC-MNC prefixes (the analytics configuration's
 * region.operators), the network data of the analytics engine, and the registry's own verdict for a
 * device (the national lists, through the check index and policy).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAnalyticsConfig } from '../../analytics/config.ts';
import { DuckDbEngine } from '../../analytics/engines/duckdb.ts';
import { PostgresEngine } from '../../analytics/engines/postgres.ts';
import { check } from '../../check/check.ts';
import type { CheckIndex } from '../../check/index.ts';
import type { Policy } from '../../check/policy.ts';
import type { Config } from '../../config/load.ts';
import { type DeviceKey, fullImei } from '../../identifiers/index.ts';
import type { Store } from '../../store/index.ts';
import type { NetworkData } from './audit.ts';
import type { EirAnswer } from './eir-client.ts';

/**
 * Home prefixes per operator from the analytics YAML, re-read when the file changes. A file that
 * does not parse gives no prefixes (pairs then go by source), and `onError` hears why.
 */
export function prefixesFromAnalyticsConfig(
  file: string | null,
  onError: (message: string) => void = () => {},
): (operatorId: string) => readonly string[] {
  let stamp = '';
  let table = new Map<string, string[]>();
  return (operatorId: string) => {
    if (!file || !existsSync(file)) return [];
    const stat = statSync(file);
    const now = `${stat.mtimeMs}/${stat.size}`;
    if (now !== stamp) {
      stamp = now;
      try {
        const config = parseAnalyticsConfig(readFileSync(file, 'utf8'));
        table = new Map(config.region.operators.map((o) => [o.id, o.mccMncPairs.map((p) => p.mcc + p.mnc)]));
      } catch (error) {
        table = new Map();
        onError((error as Error).message);
      }
    }
    return table.get(operatorId) ?? [];
  };
}

/** The analytics engine's tables, or why they cannot be read. Close it after use. */
export async function openNetworkData(
  config: Config,
  store: Store,
): Promise<{ data: NetworkData | { unavailable: string }; close: () => Promise<void> }> {
  if (config.analytics.engine === 'postgres') {
    const engine = new PostgresEngine(store);
    return { data: engine, close: () => engine.close() };
  }
  const directory = path.join(config.dataDir, 'analytics');
  if (!existsSync(path.join(directory, 'analytics.duckdb')))
    return {
      data: { unavailable: 'no network data imported (analytics engine duckdb)' },
      close: async () => {},
    };
  try {
    const engine = await DuckDbEngine.open(directory);
    return { data: engine, close: () => engine.close() };
  } catch (error) {
    return {
      data: { unavailable: `the analytics database cannot be opened: ${(error as Error).message}` },
      close: async () => {},
    };
  }
}

/** The registry's answer for a device key, as an EIR following the national lists must give it. */
export function expectedVerdicts(index: CheckIndex, policy: Policy): (deviceKey: string) => EirAnswer {
  return (deviceKey: string) => check(index, policy, { equipment: fullImei(deviceKey as DeviceKey) }).status;
}
