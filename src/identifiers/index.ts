/** The identifier library and catalogue: parse, validate and normalise every device and subscriber identifier. */
export * from './catalogue.ts';
export * from './checkdigits.ts';
export * from './eid.ts';
export * from './iccid.ts';
export * from './identify.ts';
export * from './imei.ts';
export * from './imsi.ts';
export * from './mac.ts';
export * from './meid.ts';
export * from './msisdn.ts';
export * from './pei.ts';
export * from './rbi.ts';
export * from './result.ts';
export * from './subscriber.ts';
export * from './suspicion.ts';
export * from './types.ts';
