/** Parameter sets the differential test runs for the roaming dimensions (module name → sets). */

/**
 * The lookback windows: empty (only rows spanning the end date), one day, a fortnight, a month
 * crossing two month boundaries, and longer than the data.
 */
const LOOKBACKS = [0, 1, 14, 45, 200].map((lookback_days) => ({ lookback_days }));

export const roamingCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  used_by_dirbs_subscriber: LOOKBACKS,
  used_by_international_roamer: LOOKBACKS,
  used_by_local_non_dirbs_roamer: LOOKBACKS,
  impossible_travel: [
    {},
    { max_speed_kmh: 100 },
    { max_speed_kmh: 2500.5 },
    { min_distance_km: 400 },
    { max_speed_kmh: 300, min_distance_km: 150.25 },
    { lookback_days: 0 },
    { lookback_days: 3 },
    { lookback_days: 10, max_speed_kmh: 600 },
  ],
};
