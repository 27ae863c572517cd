/**
 * `openceir org …`, `openceir user …`, `openceir apikey …`: staff accounts, on the database this
 * machine's configuration names. Passwords never come from the command line (it shows in `ps` and
 * shell history): `--password-file <file>` or the OPENCEIR_PASSWORD environment variable.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { Accounts } from '../../accounts/accounts.ts';
import { certificateFingerprint } from '../../accounts/api-keys.ts';
import { AccountError, API_KEY_ROLES, ORGANISATION_KINDS, ROLES } from '../../accounts/model.ts';
import { loadConfig } from '../../config/load.ts';
import { openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { collect } from './common.ts';

interface Options {
  readonly config?: string;
  readonly json?: boolean;
}

function withOptions(command: Command): Command {
  return command.option('-c, --config <file>', 'YAML configuration file').option('--json', 'print JSON');
}

async function withAccounts(options: Options, work: (accounts: Accounts) => Promise<unknown>): Promise<void> {
  const config = loadConfig({ file: options.config });
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DirectoryLockedError)) throw error;
    throw new Error(
      `a running OpenCEIR holds the embedded database in ${config.dataDir}: stop it first (accounts are managed on the database, or in the console at /console/users)`,
    );
  }
  try {
    await store.migrate();
    await work(new Accounts(store, { sessionHours: config.staff.sessionHours }));
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    process.stderr.write(`openceir: refused:\n  ${error.field}: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

function print(options: Options, value: unknown, text: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

/** The SHA-256 fingerprint of the certificate in a PEM file (`--client-cert`), refused with the rule. */
function readClientCert(file: string): string {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new AccountError('client-cert', `cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  const fingerprint = certificateFingerprint(pem);
  if (!fingerprint) throw new AccountError('client-cert', `${file} holds no PEM certificate`);
  return fingerprint;
}

/** The password from `--password-file` (its first line) or OPENCEIR_PASSWORD. */
function readPassword(file: string | undefined): string {
  if (file) return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  const fromEnv = process.env.OPENCEIR_PASSWORD;
  if (fromEnv) return fromEnv;
  throw new AccountError('password', 'give the password with --password-file <file> or OPENCEIR_PASSWORD');
}

const passwordFile = '--password-file <file>';
const passwordHelp = 'file whose first line is the password (default: $OPENCEIR_PASSWORD)';
const date = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

function orgCommands(program: Command): void {
  const org = program.command('org').description('organisations: police units, operators, the regulator');
  withOptions(
    org
      .command('add')
      .description('add an organisation')
      .argument('<id>', 'short code, e.g. police-capital')
      .addOption(new Option('--kind <kind>').choices([...ORGANISATION_KINDS]).makeOptionMandatory())
      .requiredOption('--name <name>', 'full name')
      .option('--region <region>', 'police units: a region it covers; repeatable', collect)
      .option('--operator-id <id>', 'operators: the id in ledger sources (operator:<id>)'),
  ).action(
    (id: string, options: Options & { kind: string; name: string; region?: string[]; operatorId?: string }) =>
      withAccounts(options, async (accounts) => {
        const created = await accounts.addOrganisation({ id, ...options, regions: options.region });
        print(options, created, () => `organisation ${created.id} added\n`);
      }),
  );
  withOptions(org.command('list').description('list organisations')).action((options: Options) =>
    withAccounts(options, async (accounts) => {
      const list = await accounts.organisations();
      print(options, list, () =>
        list
          .map(
            (o) =>
              `${o.id.padEnd(20)} ${o.kind.padEnd(10)} ${o.name}${o.regions.length ? ` [${o.regions.join(', ')}]` : ''}${o.operatorId ? ` operator:${o.operatorId}` : ''}\n`,
          )
          .join(''),
      );
    }),
  );
}

function userCommands(program: Command): void {
  const user = program.command('user').description('staff users of the consoles');
  withOptions(
    user
      .command('add')
      .description('add a staff user')
      .argument('<username>')
      .addOption(new Option('--role <role>').choices([...ROLES]).makeOptionMandatory())
      .requiredOption('--name <name>', 'display name')
      .option('--org <id>', 'organisation (required for police and operator)')
      .option(passwordFile, passwordHelp),
  ).action(
    (
      username: string,
      options: Options & { role: string; name: string; org?: string; passwordFile?: string },
    ) =>
      withAccounts(options, async (accounts) => {
        const created = await accounts.addUser({
          username,
          displayName: options.name,
          role: options.role,
          organisationId: options.org ?? null,
          password: readPassword(options.passwordFile),
        });
        print(options, created, () => `user ${created.username} added (${created.role})\n`);
      }),
  );
  withOptions(user.command('list').description('list staff users')).action((options: Options) =>
    withAccounts(options, async (accounts) => {
      const list = await accounts.users();
      print(options, list, () =>
        list
          .map(
            (u) =>
              `${u.username.padEnd(20)} ${u.role.padEnd(10)} ${(u.organisationId ?? '-').padEnd(16)} ${u.disabled ? 'disabled' : 'active  '} ${u.totp ? 'totp' : '    '} last login ${date(u.lastLoginAt)}  ${u.displayName}\n`,
          )
          .join(''),
      );
    }),
  );
  withOptions(
    user.command('disable').description('disable a user and end their sessions').argument('<username>'),
  ).action((username: string, options: Options) =>
    withAccounts(options, async (accounts) => {
      await accounts.disableUser(username);
      print(options, { username, disabled: true }, () => `user ${username} disabled\n`);
    }),
  );
  withOptions(user.command('enable').description('enable a disabled user').argument('<username>')).action(
    (username: string, options: Options) =>
      withAccounts(options, async (accounts) => {
        await accounts.enableUser(username);
        print(options, { username, disabled: false }, () => `user ${username} enabled\n`);
      }),
  );
  withOptions(
    user
      .command('password')
      .description("set a user's password (their sessions end)")
      .argument('<username>')
      .option(passwordFile, passwordHelp),
  ).action((username: string, options: Options & { passwordFile?: string }) =>
    withAccounts(options, async (accounts) => {
      await accounts.setPassword(username, readPassword(options.passwordFile));
      print(options, { username }, () => `password of ${username} set\n`);
    }),
  );
  withOptions(
    user
      .command('totp')
      .description('turn two-factor login (TOTP, RFC 6238) on with a new secret, or off')
      .argument('<username>')
      .option('--disable', 'turn it off'),
  ).action((username: string, options: Options & { disable?: boolean }) =>
    withAccounts(options, async (accounts) => {
      if (options.disable) {
        await accounts.disableTotp(username);
        print(options, { username, totp: false }, () => `two-factor login off for ${username}\n`);
        return;
      }
      const { secret, uri } = await accounts.enableTotp(username);
      print(
        options,
        { username, totp: true, secret, uri },
        () =>
          `two-factor login on for ${username}; add it to an authenticator app:\n  secret ${secret}\n  ${uri}\n`,
      );
    }),
  );
}

function apiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').description("API keys for organisations' systems");
  withOptions(
    apikey
      .command('create')
      .description('create a key; it is printed once and never stored')
      .requiredOption('--org <id>', 'organisation')
      // Keys also carry the machines' roles: follower (a check node, or a registry's own instance following
      // its whole ledger), peer (a peer registry's keyed-token matching; its shared entries come by feed key).
      .addOption(new Option('--role <role>').choices([...API_KEY_ROLES]).makeOptionMandatory())
      .requiredOption('--label <text>', 'which system holds the key')
      .option(
        '--client-cert <pem file>',
        "bind the key to the system's client certificate (mutual TLS, tls.client_ca_file): the certificate alone acts as the key, the key without it is refused",
      ),
  ).action((options: Options & { org: string; role: string; label: string; clientCert?: string }) =>
    withAccounts(options, async (accounts) => {
      const fingerprint = options.clientCert ? readClientCert(options.clientCert) : null;
      const created = await accounts.createApiKey(options.org, options.role, options.label, fingerprint);
      print(options, { ...created, clientCertSha256: fingerprint }, () => `${created.key}\n`);
    }),
  );
  withOptions(
    apikey
      .command('bind')
      .description('bind an active key to a client certificate, or unbind it (--none)')
      .argument('<id>', 'ok_<id> or <id>')
      .option('--client-cert <pem file>', "the system's client certificate (PEM)")
      .option('--none', 'unbind: the key works again without a certificate'),
  ).action((id: string, options: Options & { clientCert?: string; none?: boolean }) =>
    withAccounts(options, async (accounts) => {
      if (Boolean(options.clientCert) === Boolean(options.none))
        throw new AccountError('client-cert', 'give --client-cert <pem file>, or --none to unbind');
      const fingerprint = options.clientCert ? readClientCert(options.clientCert) : null;
      if (!(await accounts.bindApiKey(id.split('.')[0]!, fingerprint))) {
        process.stderr.write(`openceir: no active key ${id}\n`);
        process.exitCode = 1;
        return;
      }
      print(options, { id, clientCertSha256: fingerprint }, () =>
        fingerprint ? `key ${id} bound to certificate sha256 ${fingerprint}\n` : `key ${id} unbound\n`,
      );
    }),
  );
  withOptions(apikey.command('list').description('list keys (never their secrets)')).action(
    (options: Options) =>
      withAccounts(options, async (accounts) => {
        const list = await accounts.apiKeys();
        print(options, list, () =>
          list
            .map(
              (k) =>
                `ok_${k.id}  ${k.organisationId.padEnd(16)} ${k.role.padEnd(10)} ${k.revokedAt ? `revoked ${date(k.revokedAt)}` : `last used ${date(k.lastUsedAt)}`}  ${k.label}${k.clientCertSha256 ? `  [client cert sha256 ${k.clientCertSha256}]` : ''}\n`,
            )
            .join(''),
        );
      }),
  );
  withOptions(
    apikey.command('revoke').description('revoke a key at once').argument('<id>', 'ok_<id> or <id>'),
  ).action((id: string, options: Options) =>
    withAccounts(options, async (accounts) => {
      const revoked = await accounts.revokeApiKey(id.split('.')[0]!);
      if (!revoked) {
        process.stderr.write(`openceir: no active key ${id}\n`);
        process.exitCode = 1;
        return;
      }
      print(options, { id, revoked: true }, () => `key ${id} revoked\n`);
    }),
  );
}

export function accountCommands(program: Command): void {
  orgCommands(program);
  userCommands(program);
  apiKeyCommands(program);
}
