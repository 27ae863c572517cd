/**
 * The check index: everything `decide` needs, in memory, so that the hot path never waits on a
 * database. A compact base (tables.ts) built from the current lists at a ledger position, an overlay of
 * devices and pairings changed since, and the rules. New ledger entries are applied in order with the
 * same fold as the registry (ledger/fold.ts); `compact()` folds the overlay into a new base and swaps it
 * in between two checks, so checks never pause.
 */
import type { Entry } from '../ledger/entry.ts';
import {
  type ActiveReason,
  applyEntry,
  emptyState,
  type Pairing,
  pairingSlot,
  type RegistryState,
  type Rule,
  reasonSlot,
} from '../ledger/fold.ts';
import type { CheckFacts, FactReason } from './decide.ts';
import { imsiNumber, RuleSet } from './rules.ts';
import {
  type DeviceTable,
  DeviceTableBuilder,
  dayOf,
  isoOfDay,
  PairingTable,
  type SlotTemplate,
} from './tables.ts';

export interface IndexParts {
  readonly position: number;
  readonly devices: DeviceTable;
  readonly pairings: PairingTable;
  readonly rules: ReadonlyMap<string, Rule>;
  /** Devices and pairings kept as objects: changed since the base was built, or with an expiry. */
  readonly deviceOverlay: ReadonlyMap<number, readonly ActiveReason[]>;
  readonly pairingOverlay: ReadonlyMap<string, Pairing | null>;
}

const placeholder = { seq: -1, reference: null, attributes: null } as const;
const NONE: readonly ActiveReason[] = Object.freeze([]);
const REASON_CACHE_SIZE = 200_000;

const lasting = (r: ActiveReason) => r.expiresAt === null;

export class CheckIndex {
  private base: DeviceTable;
  private pairingBase: PairingTable;
  /** Device key → its reasons now (an empty list: none). Wins over the base. */
  private devices: Map<number, readonly ActiveReason[]>;
  private pairings: Map<string, Pairing | null>;
  private ruleMap: Map<string, Rule>;
  private ruleSet: RuleSet;
  private applied: number;
  private reasonCache = new Map<number, readonly ActiveReason[]>();

  constructor(parts: IndexParts) {
    this.base = parts.devices;
    this.pairingBase = parts.pairings;
    this.devices = new Map(parts.deviceOverlay);
    this.pairings = new Map(parts.pairingOverlay);
    this.ruleMap = new Map(parts.rules);
    this.ruleSet = new RuleSet(this.ruleMap);
    this.applied = parts.position;
  }

  /** How many ledger entries the index reflects. */
  get position(): number {
    return this.applied;
  }

  /** An index of a folded registry state (tests and small rebuilds); the base stays empty. */
  static fromState(state: RegistryState, position: number): CheckIndex {
    const deviceOverlay = new Map<number, ActiveReason[]>();
    for (const [key, reasons] of state.devices) deviceOverlay.set(Number(key), [...reasons.values()]);
    return new CheckIndex({
      position,
      devices: new DeviceTableBuilder().build(),
      pairings: PairingTable.from([]),
      rules: state.rules,
      deviceOverlay,
      pairingOverlay: new Map(state.pairings),
    });
  }

  /** The active reasons of a device (not filtered by expiry). */
  reasonsOf(key: number): readonly ActiveReason[] {
    const changed = this.devices.get(key);
    if (changed) return changed;
    const i = this.base.find(key);
    if (i < 0) return NONE;
    return this.baseReasons(this.base.setIds[i]!, this.base.sinceDays[i]!);
  }

  /**
   * The reasons of a base device: one frozen list per (reason set, day) shared by every device that
   * has them, so a lookup allocates nothing. The cache is bounded; past its size it starts over.
   */
  private baseReasons(setId: number, day: number): readonly ActiveReason[] {
    const slot = setId * 65_536 + day;
    let reasons = this.reasonCache.get(slot);
    if (reasons === undefined) {
      const since = isoOfDay(day);
      reasons = Object.freeze(
        this.base.sets[setId]!.map((t) => Object.freeze({ ...t, since, expiresAt: null, ...placeholder })),
      );
      if (this.reasonCache.size >= REASON_CACHE_SIZE) this.reasonCache.clear();
      this.reasonCache.set(slot, reasons);
    }
    return reasons;
  }

  pairingOf(deviceKey: string, imsi: string): Pairing | null {
    if (this.pairings.size === 0 && this.pairingBase.size === 0) return null;
    const changed = this.pairings.get(pairingSlot(deviceKey, imsi));
    if (changed !== undefined) return changed;
    const i = this.pairingBase.find(Number(deviceKey), imsiNumber(imsi));
    if (i < 0) return null;
    return {
      deviceKey,
      imsi,
      msisdn: null,
      source: this.pairingBase.sources[this.pairingBase.sourceIds[i]!]!,
      since: isoOfDay(this.pairingBase.sinceDays[i]!),
      expiresAt: null,
      seq: -1,
      list: null,
    };
  }

  /** What `decide` needs about a device and SIM, at time `now` (ms). */
  facts(deviceKey: string | null, imsi: string | null, now: number, malformed = false): CheckFacts {
    const rules = this.ruleSet.match(deviceKey, imsi, now);
    let reasons: readonly FactReason[] = NONE;
    let pairing: Pairing | null = null;
    if (deviceKey !== null) {
      const all = this.reasonsOf(Number(deviceKey));
      reasons = all.every(lasting)
        ? all
        : all.filter((r) => r.expiresAt === null || Date.parse(r.expiresAt) > now);
      if (imsi !== null) {
        pairing = this.pairingOf(deviceKey, imsi);
        if (pairing?.expiresAt && Date.parse(pairing.expiresAt) <= now) pairing = null;
      }
    }
    return {
      deviceKey,
      malformed,
      golden: rules.golden,
      reasons,
      pairing,
      imeiRanges: rules.imeiRanges,
      tacRule: rules.tacRule,
      imsiRules: rules.imsiRules,
    };
  }

  /**
   * Applies ledger entries, which must continue exactly where the index stands (entries already
   * applied are skipped, a gap is an error). The same fold as the registry's lists.
   */
  apply(entries: readonly Entry[]): void {
    let rulesChanged = false;
    for (const entry of entries) {
      if (entry.seq < this.applied) continue;
      if (entry.seq > this.applied)
        throw new Error(`ledger entry ${this.applied} is missing (got ${entry.seq})`);
      const state = emptyState();
      const t = entry.target;
      if (t.kind === 'device') {
        const key = Number(t.deviceKey);
        state.devices.set(
          t.deviceKey,
          new Map(
            this.reasonsOf(key).map((r) => [reasonSlot(r.status, r.reason, r.source, r.list), { ...r }]),
          ),
        );
        applyEntry(state, entry);
        this.devices.set(key, [...(state.devices.get(t.deviceKey)?.values() ?? [])]);
      } else if (t.kind === 'pair') {
        const slot = pairingSlot(t.deviceKey, t.imsi);
        const existing = this.pairingOf(t.deviceKey, t.imsi);
        if (existing) state.pairings.set(slot, existing);
        applyEntry(state, entry);
        this.pairings.set(slot, state.pairings.get(slot) ?? null);
      } else {
        const rules = { ...state, rules: this.ruleMap };
        applyEntry(rules, entry);
        rulesChanged = true;
      }
      this.applied += 1;
    }
    if (rulesChanged) this.ruleSet = new RuleSet(this.ruleMap);
  }

  /** Devices and pairings waiting in the overlay (what `compact` would fold into the base). */
  get overlaySize(): number {
    return this.devices.size + this.pairings.size;
  }

  stats() {
    return {
      position: this.applied,
      devices: this.base.size,
      pairings: this.pairingBase.size,
      rules: this.ruleSet.size,
      overlay: this.overlaySize,
      reasonSets: this.base.sets.length,
      bytesPerDevice: this.base.bytesPerDevice(),
    };
  }

  /** The index's parts, as they stand (for snapshots). */
  parts(): IndexParts {
    return {
      position: this.applied,
      devices: this.base,
      pairings: this.pairingBase,
      rules: this.ruleMap,
      deviceOverlay: this.devices,
      pairingOverlay: this.pairings,
    };
  }

  /**
   * Folds the overlay into a new base and swaps it in. Built in slices that yield to the event loop,
   * so checks go on meanwhile; entries applied during the build stay in the overlay.
   */
  async compact(yieldEvery = 1_000_000): Promise<void> {
    const frozenDevices = new Map(this.devices);
    const frozenPairings = new Map(this.pairings);
    const base = this.base;
    const builder = new DeviceTableBuilder(base.sets);
    const pending = [...frozenDevices.keys()].sort((a, b) => a - b);
    const keep = new Set<number>();
    let p = 0;
    let count = 0;
    const addChanged = async (key: number) => {
      const reasons = frozenDevices.get(key)!;
      if (reasons.length === 0) return;
      if (reasons.some((r) => r.expiresAt !== null)) {
        keep.add(key);
        return;
      }
      const templates: SlotTemplate[] = reasons.map((r) => ({
        status: r.status,
        reason: r.reason,
        source: r.source,
        list: r.list,
      }));
      builder.add(key, builder.setId(templates), Math.min(...reasons.map((r) => dayOf(r.since))));
    };
    for (const [key, setId, since] of base.entries()) {
      while (p < pending.length && pending[p]! < key) await addChanged(pending[p++]!);
      if (p < pending.length && pending[p] === key) await addChanged(pending[p++]!);
      else builder.add(key, setId, since);
      if (++count % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    while (p < pending.length) await addChanged(pending[p++]!);

    const pairs: { key: number; imsi: number; source: string; sinceDay: number }[] = [];
    const keepPairs = new Set<string>();
    const old = this.pairingBase;
    for (let i = 0; i < old.size; i++) {
      const deviceKey = String(old.keys[i]).padStart(14, '0');
      const imsi = String(old.imsis[i]).slice(1);
      if (frozenPairings.has(pairingSlot(deviceKey, imsi))) continue;
      pairs.push({
        key: old.keys[i]!,
        imsi: old.imsis[i]!,
        source: old.sources[old.sourceIds[i]!]!,
        sinceDay: old.sinceDays[i]!,
      });
    }
    for (const [slot, pairing] of frozenPairings) {
      if (!pairing) continue;
      if (pairing.expiresAt !== null) {
        keepPairs.add(slot);
        continue;
      }
      pairs.push({
        key: Number(pairing.deviceKey),
        imsi: imsiNumber(pairing.imsi),
        source: pairing.source,
        sinceDay: dayOf(pairing.since),
      });
    }

    // The swap: one synchronous step between two checks.
    this.base = builder.build();
    this.reasonCache = new Map();
    this.pairingBase = PairingTable.from(pairs);
    for (const [key, reasons] of frozenDevices)
      if (!keep.has(key) && this.devices.get(key) === reasons) this.devices.delete(key);
    for (const [slot, pairing] of frozenPairings)
      if (!keepPairs.has(slot) && this.pairings.get(slot) === pairing) this.pairings.delete(slot);
  }
}
