/** Parameter sets the differential test runs for the duplicates dimensions (module name → sets). */
export const duplicatesCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {};
