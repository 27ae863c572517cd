/** Parameter sets the differential test runs for the lists dimensions (module name → sets). */
export const listsCases: Readonly<Record<string, readonly Record<string, unknown>[]>> = {};
