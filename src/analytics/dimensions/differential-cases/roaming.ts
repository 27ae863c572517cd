/** Parameter sets the differential test runs for the roaming dimensions (module name → sets). */
export const roamingCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {};
