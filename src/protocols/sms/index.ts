/** The SMS channel (SMPP ESME) and the SMSC simulator, as the composition root wires them. */
export { SmsChannel, type SmsChannelOptions } from './channel.ts';
export { Esme, type EsmeOptions, type EsmeState, SmppError } from './esme.ts';
export { internationalDigits, languageOf, parseLanguageRules } from './language.ts';
export type { Receipt } from './receipt.ts';
export { type HandsetMessage, type SimulatorOptions, SmscSimulator } from './simulator.ts';
export type * from './types.ts';
