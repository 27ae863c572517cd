/**
 * Parameter sets the differential test runs for the duplicates dimensions (module name → sets).
 * Counts in the comments are the reference's matches on the generated country (seed 11) with
 * DIRBS's switches / ours, out of 400 network IMEIs: every set matches some IMEIs but not all.
 */
export const duplicatesCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  duplicate_threshold: [
    { threshold: 2, period_days: 30 }, // 114
    { threshold: 3, period_days: 30 }, // 27
    { threshold: 4, period_months: 2 }, // 26
    { threshold: 2, period_days: 10, use_msisdn: true }, // 34
    { threshold: 3, period_months: 1, use_msisdn: true }, // 15
  ],
  duplicate_daily_avg: [
    { threshold: 1, period_days: 30, min_seen_days: 6 }, // 122 / 119
    { threshold: 1.5, period_days: 30, min_seen_days: 2 }, // 0 / 2: 1.5 behaves as 2 when truncated
    { threshold: 1.1, period_months: 2, min_seen_days: 2 }, // 0 / 47
    { threshold: 0.9, period_days: 20, min_seen_days: 4, use_msisdn: true }, // 129 / 126
    { threshold: 1.2, period_days: 60, min_seen_days: 5, use_msisdn: true }, // 0 / 15
    { threshold: 1, period_months: 1, min_seen_days: 8, use_msisdn: true }, // 62 / 58
    // An empty window: only rows last seen on the end date keep a day, and only with DIRBS's end.
    { threshold: 1, period_days: 0, min_seen_days: 0 }, // 42 / 0
  ],
  daily_avg_uid: [
    { threshold: 1, period_days: 30, min_seen_days: 1 }, // 63 / 64
    { threshold: 0.5, period_days: 30, min_seen_days: 2 }, // 34 / 118
    { threshold: 0.3, period_months: 2, min_seen_days: 3 }, // 10 / 215
    { threshold: 1, period_months: 3, min_seen_days: 0 }, // 23 / 24
    // Short windows: with a half-open end, a UID seen only before the start and on the end day has
    // no day in the window and must not count.
    { threshold: 2, period_days: 2, min_seen_days: 1 }, // 41 / 28
    { threshold: 1.5, period_days: 3, min_seen_days: 1 }, // 48 / 43
    { threshold: 1, period_days: 0, min_seen_days: 0 }, // 35 / 0
  ],
  transient_imei: [
    { period: 1, num_msisdns: 1 }, // 3 / 1
    { period: 2, num_msisdns: 1 }, // 5 / 2
    { period: 1, num_msisdns: 2 }, // 3 / 1
    { period: 10, num_msisdns: 1 }, // 0 / 0
  ],
};
