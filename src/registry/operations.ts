/**
 * The registry's operations, as the admin API and the CLI offer them: device status changes and
 * views, rules, list import and export, the TAC database and ledger verification. One place, so the
 * REST routes and the local CLI (when no server runs) behave the same. Inputs are identifiers as
 * people write them; every refusal names the field (`RegistryInputError`).
 */
import { sql } from 'drizzle-orm';
import { decide, type Verdict } from '../check/decide.ts';
import type { Policy } from '../check/policy.ts';
import { parseEquipment, parseImsi, parseMsisdn } from '../identifiers/index.ts';
import { deviceView, RULE_COLUMNS, rowToRule } from '../ledger/devices.ts';
import {
  type Action,
  type DeviceStatus,
  type Entry,
  goldenHash,
  LIFTING_ACTIONS,
  type RuleTarget,
} from '../ledger/entry.ts';
import type { ActiveReason, Pairing, Rule } from '../ledger/fold.ts';
import { type Ledger, LedgerValidationError } from '../ledger/ledger.ts';
import { type ExportList, type ExportOptions, exportList } from '../ledger/lists/export.ts';
import type { ImportType } from '../ledger/lists/formats.ts';
import { type ImportOptions, type ImportReport, importList } from '../ledger/lists/import.ts';
import { headToJson } from '../ledger/signing.ts';
import { type VerifyReport, verifyLedger } from '../ledger/verify.ts';
import { query } from '../store/index.ts';
import {
  findTac,
  importTacFile,
  type TacChange,
  type TacImportOptions,
  type TacImportReport,
  type TacModel,
  tacHistory,
} from '../tacdb/tacdb.ts';

/** A refused input: `param` says where (e.g. "path id", "body reasons[0]"), `reason` the rule. */
export class RegistryInputError extends Error {
  constructor(
    readonly problems: readonly { param: string; reason: string }[],
    readonly code: string,
  ) {
    super(problems.map((p) => `${p.param}: ${p.reason}`).join('; '));
    this.name = 'RegistryInputError';
  }
}

export const STATUS_ACTIONS = ['block', 'unblock', 'track', 'untrack', 'allow', 'disallow'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

export interface ChangeInput {
  readonly reason?: string;
  readonly reasons?: readonly string[];
  readonly source?: string;
  readonly note?: string;
  readonly reference?: string;
  readonly expiresAt?: string;
  readonly idempotencyKey?: string;
}

export interface PairInput {
  readonly imsi: string;
  readonly msisdn?: string;
  readonly source?: string;
  readonly note?: string;
  readonly reference?: string;
  readonly expiresAt?: string;
  readonly idempotencyKey?: string;
}

export interface RuleInput {
  readonly kind: RuleTarget['kind'];
  readonly tac?: string;
  readonly from?: string;
  readonly to?: string;
  readonly prefix?: string;
  readonly imei?: string;
  readonly hash?: string;
  readonly status?: DeviceStatus;
  readonly reasons?: readonly string[];
  readonly source?: string;
  readonly note?: string;
  readonly reference?: string;
  readonly expiresAt?: string;
}

export interface ChangeResult {
  readonly entry: Entry;
  readonly replayed: boolean;
  readonly head: { readonly treeSize: number; readonly rootHash: string };
}

export interface DeviceReport {
  readonly deviceKey: string;
  readonly tac: string;
  readonly model: {
    readonly brand: string | null;
    readonly model: string | null;
    readonly radio: readonly string[];
  } | null;
  readonly at: string;
  readonly verdict: Verdict;
  readonly reasons: readonly ActiveReason[];
  readonly pairings: readonly Pairing[];
  readonly rules: readonly Rule[];
  readonly history: readonly Entry[];
}

export class RegistryOperations {
  constructor(
    readonly ledger: Ledger,
    readonly policy: Policy,
    /** Who the entries name as actor (the API key's holder, the CLI user). */
    private readonly actor: string,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  /** The device key of an identifier typed by a person, or a refusal naming `param`. */
  deviceKey(id: string, param = 'path id'): string {
    const parsed = parseEquipment(id, { source: 'person' });
    if (!parsed.ok)
      throw new RegistryInputError([{ param, reason: parsed.error.message }], parsed.error.code);
    return parsed.value.deviceKey;
  }

  private async append(
    draft: Parameters<Ledger['append']>[0][number],
    where: (field: string) => string,
  ): Promise<ChangeResult> {
    try {
      const result = await this.ledger.append([draft]);
      const head = headToJson(result.head);
      return {
        entry: result.entries[0]!,
        replayed: result.replayed[0]!,
        head: { treeSize: head.treeSize, rootHash: head.rootHash },
      };
    } catch (error) {
      if (error instanceof LedgerValidationError) {
        throw new RegistryInputError(
          error.problems.map((p) => ({ param: where(p.field), reason: p.message })),
          'INVALID_ENTRY',
        );
      }
      throw error;
    }
  }

  async changeStatus(id: string, action: StatusAction, input: ChangeInput): Promise<ChangeResult> {
    const deviceKey = this.deviceKey(id);
    return this.append(
      {
        actor: this.actor,
        source: input.source ?? 'regulator',
        action: action as Action,
        target: { kind: 'device', deviceKey },
        reasons: [...(input.reason ? [input.reason] : []), ...(input.reasons ?? [])],
        note: input.note ?? null,
        reference: input.reference ?? null,
        expiresAt: input.expiresAt ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      },
      (field) => `body ${field}`,
    );
  }

  async pair(id: string, action: 'pair' | 'unpair', input: PairInput): Promise<ChangeResult> {
    const deviceKey = this.deviceKey(id);
    const imsi = parseImsi(input.imsi, { source: 'network' });
    if (!imsi.ok)
      throw new RegistryInputError([{ param: 'body imsi', reason: imsi.error.message }], imsi.error.code);
    let msisdn: string | null = null;
    if (input.msisdn !== undefined) {
      const parsed = parseMsisdn(input.msisdn, { source: 'network' });
      if (!parsed.ok)
        throw new RegistryInputError(
          [{ param: 'body msisdn', reason: parsed.error.message }],
          parsed.error.code,
        );
      msisdn = parsed.value.digits;
    }
    return this.append(
      {
        actor: this.actor,
        source: input.source ?? 'regulator',
        action,
        target: { kind: 'pair', deviceKey, imsi: imsi.value.digits, msisdn },
        note: input.note ?? null,
        reference: input.reference ?? null,
        expiresAt: input.expiresAt ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      },
      (field) => `body ${field.replace(/^target\./, '')}`,
    );
  }

  async device(id: string, options: { at?: string; imsi?: string } = {}): Promise<DeviceReport> {
    const deviceKey = this.deviceKey(id);
    if (options.imsi !== undefined && !/^[0-9]{5,15}$/.test(options.imsi)) {
      throw new RegistryInputError(
        [{ param: 'query imsi', reason: 'must be 5 to 15 digits' }],
        'INVALID_REQUEST',
      );
    }
    const at = options.at === undefined ? undefined : new Date(options.at).toISOString();
    const view = await deviceView(this.db, deviceKey, options.imsi ?? null, at);
    const { facts } = view;
    const model = await findTac(this.db, deviceKey.slice(0, 8));
    return {
      deviceKey,
      tac: deviceKey.slice(0, 8),
      model: model ? { brand: model.brand, model: model.model, radio: model.radio } : null,
      at: facts.at,
      verdict: decide(facts, this.policy),
      reasons: facts.reasons,
      pairings: view.pairings,
      rules: [
        ...(facts.golden ? [facts.golden] : []),
        ...facts.imeiRanges,
        ...(facts.tacRule ? [facts.tacRule] : []),
        ...facts.imsiRules,
      ],
      history: view.history,
    };
  }

  /** The rule target a request describes, refusing the field that is wrong. */
  private ruleTarget(input: RuleInput): RuleTarget {
    switch (input.kind) {
      case 'tac':
        return { kind: 'tac', tac: input.tac ?? '' };
      case 'imsi-prefix':
        return { kind: 'imsi-prefix', prefix: input.prefix ?? '' };
      case 'imsi-range':
        return { kind: 'imsi-range', from: input.from ?? '', to: input.to ?? '' };
      case 'imei-range':
        return {
          kind: 'imei-range',
          from: this.deviceKey(input.from ?? '', 'body from'),
          to: this.deviceKey(input.to ?? '', 'body to'),
        };
      case 'golden':
        if (input.hash) return { kind: 'golden', hash: input.hash.toLowerCase() };
        return { kind: 'golden', hash: goldenHash(this.deviceKey(input.imei ?? '', 'body imei')) };
      default:
        throw new RegistryInputError(
          [{ param: 'body kind', reason: 'must be tac, imei-range, imsi-prefix, imsi-range or golden' }],
          'INVALID_REQUEST',
        );
    }
  }

  addRule(input: RuleInput): Promise<ChangeResult> {
    return this.append(
      {
        actor: this.actor,
        source: input.source ?? 'regulator',
        action: 'rule-add',
        target: this.ruleTarget(input),
        status: input.kind === 'golden' ? 'allowed' : input.status,
        reasons: input.reasons ?? (input.kind === 'golden' ? ['golden'] : []),
        note: input.note ?? null,
        reference: input.reference ?? null,
        expiresAt: input.expiresAt ?? null,
      },
      (field) => `body ${field.replace(/^target\./, '')}`,
    );
  }

  /** Removes the rule with this key; null when there is none. */
  async removeRule(
    ruleKey: string,
    input: { source?: string; note?: string; reference?: string } = {},
  ): Promise<ChangeResult | null> {
    const [row] = await query(this.db, sql`select target from rule where rule_key = ${ruleKey}`);
    if (!row) return null;
    return this.append(
      {
        actor: this.actor,
        source: input.source ?? 'regulator',
        action: 'rule-remove',
        target: row.target as RuleTarget,
        note: input.note ?? null,
        reference: input.reference ?? null,
      },
      (field) => `query ${field}`,
    );
  }

  async rules(kind?: string): Promise<Rule[]> {
    const rows = await query(
      this.db,
      sql`select ${RULE_COLUMNS} from rule where (${kind ?? null}::text is null or kind = ${kind ?? null})
          and (expires_at is null or expires_at > now()) order by rule_key`,
    );
    return rows.map(rowToRule);
  }

  importList(type: ImportType, file: string, options: ImportOptions = {}): Promise<ImportReport> {
    return importList(this.ledger, type, file, { actor: this.actor, ...options });
  }

  exportList(list: ExportList, options: ExportOptions = {}): AsyncGenerator<string> {
    return exportList(this.db, list, options);
  }

  importTacs(file: string, options: TacImportOptions = {}): Promise<TacImportReport> {
    return importTacFile(this.db, file, options);
  }

  async tac(tac: string): Promise<{ model: TacModel | null; history: TacChange[] }> {
    if (!/^[0-9]{8}$/.test(tac))
      throw new RegistryInputError([{ param: 'path tac', reason: 'must be 8 digits' }], 'INVALID_REQUEST');
    return { model: await findTac(this.db, tac), history: await tacHistory(this.db, tac) };
  }

  verify(onProgress?: (checked: number) => void): Promise<VerifyReport> {
    return verifyLedger(this.db, { onProgress });
  }
}

/** Lifting actions take an empty reason list to mean "all of this source's". */
export const isLifting = (action: StatusAction) => LIFTING_ACTIONS.includes(action);
