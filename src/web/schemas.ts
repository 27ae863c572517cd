/** JSON schemas shared by several routes: ledger entries, reasons, rules, verdicts, tree heads. */
import { Type } from 'typebox';
import { ACTIONS, DEVICE_STATUSES, LISTS } from '../ledger/entry.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const Target = Type.Object(
  { kind: Type.String({ description: 'device, pair, tac, imei-range, imsi-prefix, imsi-range or golden' }) },
  { additionalProperties: true, description: 'What the entry is about; its other fields depend on kind' },
);

export const Entry = Type.Object(
  {
    seq: Type.Integer({ description: 'Position in the ledger (the Merkle leaf index), gapless from 0' }),
    time: Type.String({ format: 'date-time' }),
    actor: Type.String(),
    source: Type.String({ description: 'owner, police, regulator, operator:<id>, rule:<name> or peer:<id>' }),
    action: Literals(ACTIONS),
    target: Target,
    status: Nullable(Literals(DEVICE_STATUSES)),
    reasons: Type.Array(Type.String()),
    note: Nullable(Type.String()),
    reference: Nullable(Type.String()),
    list: Nullable(Literals(LISTS)),
    attributes: Nullable(Type.Record(Type.String(), Type.String())),
    expiresAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'LedgerEntry' },
);

export const HeadSummary = Type.Object({
  treeSize: Type.Integer(),
  rootHash: Type.String({ description: 'base64' }),
});

export const ActiveReason = Type.Object({
  status: Literals(DEVICE_STATUSES),
  reason: Type.String(),
  source: Type.String(),
  since: Type.String({ format: 'date-time' }),
  expiresAt: Nullable(Type.String()),
  seq: Type.Integer(),
  reference: Nullable(Type.String()),
  list: Nullable(Type.String()),
  attributes: Nullable(Type.Record(Type.String(), Type.String())),
});

export const Pairing = Type.Object({
  deviceKey: Type.String(),
  imsi: Type.String(),
  msisdn: Nullable(Type.String()),
  source: Type.String(),
  since: Type.String(),
  expiresAt: Nullable(Type.String()),
  seq: Type.Integer(),
  list: Nullable(Type.String()),
});

export const Rule = Type.Object({
  key: Type.String(),
  target: Target,
  status: Literals(DEVICE_STATUSES),
  reasons: Type.Array(Type.String()),
  source: Type.String(),
  since: Type.String(),
  expiresAt: Nullable(Type.String()),
  seq: Type.Integer(),
  reference: Nullable(Type.String()),
  list: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

export const Verdict = Type.Object({
  status: Literals(['allowed', 'tracked', 'blocked', 'unknown']),
  matched: Type.String({
    description: 'golden, pairing, device, imei-range, tac, imsi, policy or malformed',
  }),
  reasons: Type.Array(Type.Object({ code: Type.String(), source: Type.String(), since: Type.String() })),
  rule: Nullable(Type.String()),
});
