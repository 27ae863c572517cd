/** The validator of a dimension that takes no parameters: anything given is an error. */
import { ParameterReader, type Validated } from './parameters.ts';

export type NoParameters = Record<string, never>;

export const noParameters = {
  fields: [],
  validate(raw: unknown): Validated<NoParameters> {
    return new ParameterReader(raw, []).result({});
  },
} as const;
