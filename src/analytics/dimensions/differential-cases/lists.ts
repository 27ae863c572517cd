/** Parameter sets the differential test runs for the lists dimensions (module name → sets). */
export const listsCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  // The generated country's unknown TACs have RBIs 00, 91 and 99, first seen over the last 80 days.
  gsma_not_found: [
    {},
    { ignore_rbi_delays: true },
    { ignore_rbi_delays: false },
    { per_rbi_delays: { '00': 75, '91': 50, '99': 0 } },
    { per_rbi_delays: { '00': 0, '91': 30, '99': 100 } },
  ],
  exists_in_barred_list: [{}],
  is_barred_tac: [{}],
  // Monitoring starts 0–59 days before the end at 00:00–08:00 UTC and the wall clock is 12:00 on the
  // end date, so the clocks disagree by a day for entries not started at 00:00: 4, 14 and 56 days take
  // such an entry on the wall clock only; 15 and 55 take one started at 00:00 exactly that many days
  // before the end on both.
  exists_in_monitoring_list: [
    {},
    { monitored_days: 0 },
    { monitored_days: 1 },
    { monitored_days: 4 },
    { monitored_days: 14 },
    { monitored_days: 15 },
    { monitored_days: 40 },
    { monitored_days: 55 },
    { monitored_days: 56 },
    { monitored_days: 365 },
  ],
  is_test_tac: [{}],
  not_on_registration_list: [{}],
  not_on_association_list: [{}],
  inconsistent_rat: [{}],
  bad_check_digit: [{}],
};
