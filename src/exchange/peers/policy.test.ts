/** Trust policy files: the documented shape parses, every bad field is named with its rule. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyError, parsePolicy, parsePolicyText } from './policy.ts';

const problemsOf = (value: unknown) => {
  try {
    parsePolicy(value);
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  return [];
};

describe('trust policy', () => {
  it('reads the documented YAML and JSON forms', () => {
    const yaml = parsePolicyText(`
apply:
  stolen: { action: block, reason: foreign-stolen }
  lost:
    action: track
    reason: foreign-lost
share:
  reasons: [stolen]
`);
    expect(yaml).toEqual({
      apply: {
        stolen: { action: 'block', reason: 'foreign-stolen' },
        lost: { action: 'track', reason: 'foreign-lost' },
      },
      share: { reasons: ['stolen'] },
    });
    expect(parsePolicyText(JSON.stringify(yaml))).toEqual(yaml);
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect(parsePolicy({ apply: {} }).apply).toEqual({});
  });

  it('names every bad field and the rule it breaks', () => {
    expect(
      problemsOf({
        apply: {
          stolen: { action: 'delete', reason: 'foreign-stolen' },
          lost: { action: 'block', reason: 'registered' },
          nonsense: { action: 'block', reason: 'foreign-stolen' },
          counterfeit: 'block',
          fraud: { action: 'track', reason: 'foreign-stolen', extra: 1 },
        },
        share: { reasons: ['stolen', 'stolen', 'nope'] },
        other: true,
      }),
    ).toEqual([
      { field: 'other', message: 'unknown field; a policy has apply and share' },
      { field: 'apply.stolen.action', message: 'must be block or track' },
      {
        field: 'apply.lost.reason',
        message: 'reason registered cannot justify status blocked (only allowed)',
      },
      { field: 'apply.nonsense', message: 'unknown reason "nonsense"; see GET /api/v1/reasons' },
      { field: 'apply.counterfeit', message: 'must be {action: block|track, reason: <our reason>}' },
      { field: 'apply.fraud.extra', message: 'unknown field; use action and reason' },
      { field: 'share.reasons[1]', message: 'reason stolen is given twice' },
      { field: 'share.reasons[2]', message: 'unknown reason "nope"; see GET /api/v1/reasons' },
    ]);
    expect(problemsOf([])).toEqual([{ field: '(policy)', message: 'must be a mapping' }]);
    expect(() => parsePolicyText('apply: [')).toThrow(/\(file\): not YAML or JSON/);
  });
});
