/** Staff accounts: organisations, users and roles, login and sessions, API keys, the access log. */
export {
  type AccessLogFilter,
  type AccessLogRow,
  type AccessRead,
  queryAccessLog,
  recordRead,
} from './access-log.ts';
export {
  Accounts,
  type AccountsOptions,
  type ApiKeyInfo,
  LoginError,
  type LoginFailure,
  type LoginResult,
  type NewOrganisation,
  type NewUser,
} from './accounts.ts';
export { looksLikeApiKey, parseApiKey } from './api-keys.ts';
export { DEMO_PASSWORD, type DemoAccounts, seedDemoAccounts } from './demo.ts';
export * from './model.ts';
export { MIN_PASSWORD_LENGTH } from './passwords.ts';
export { LoginThrottle } from './throttle.ts';
