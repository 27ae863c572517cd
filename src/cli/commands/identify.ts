/** `openceir identify <text>` and `openceir identifiers`: the identifier library from the shell. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  CATALOGUE,
  IDENTIFIER_TYPES,
  type Identification,
  type IdentifierType,
  identify,
} from '../../identifiers/index.ts';

function describeAnswer(answer: Identification): string {
  const lines = [`${answer.input.trim()}: ${answer.type}, ${answer.valid ? 'valid' : 'INVALID'}`];
  for (const error of answer.errors) lines.push(`  error        ${error.code}: ${error.message}`);
  const facts: [string, unknown][] = [
    ['normalized', answer.normalized],
    ['wrapper', answer.wrapper?.text],
    ['device key', answer.deviceKey],
    ['TAC', answer.tac],
    [
      'RBI',
      answer.reportingBody &&
        `${answer.reportingBody.code} ${answer.reportingBody.name} (${answer.reportingBody.status})`,
    ],
    ['SVN', answer.svn],
    ['check digit', answer.checkDigit],
    ['expected', answer.expectedCheckDigit],
    ['full IMEI', answer.fullImei],
  ];
  for (const [label, value] of facts) {
    if (value !== undefined && value !== null) lines.push(`  ${label.padEnd(12)} ${String(value)}`);
  }
  for (const [key, value] of Object.entries(answer.details ?? {})) {
    if (value !== null && value !== undefined)
      lines.push(`  ${key.padEnd(12)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  if (answer.flags.length > 0) lines.push(`  flags        ${answer.flags.join(', ')}`);
  if (answer.candidates.length > 0)
    lines.push(`  could also be: ${answer.candidates.join(', ')} (use --type)`);
  return `${lines.join('\n')}\n`;
}

function identifierType(value: string): IdentifierType {
  if (!(IDENTIFIER_TYPES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`one of ${IDENTIFIER_TYPES.join(', ')}`);
  }
  return value as IdentifierType;
}

export function identifyCommands(program: Command): void {
  program
    .command('identify')
    .description('detect the type of an identifier and validate it (exit status 0 valid, 1 invalid)')
    .argument('<text>', 'IMEI, IMEISV, PEI (imei-…), IMSI, SUPI, MSISDN, GPSI, MEID, ESN, EID, ICCID, MAC, …')
    .option(
      '--json',
      'print one JSON object (type, valid, normalized, errors[], deviceKey, tac, rbi, svn, checkDigit, …)',
    )
    .option('--type <type>', 'parse as this type instead of detecting it', identifierType)
    .addOption(
      new Option('--source <source>', 'person: a wrong IMEI check digit is an error; network: only flagged')
        .choices(['person', 'network'])
        .default('person'),
    )
    .action(
      (text: string, options: { json?: boolean; type?: IdentifierType; source: 'person' | 'network' }) => {
        const answer = identify(text, { type: options.type, source: options.source });
        process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : describeAnswer(answer));
        process.exitCode = answer.valid ? 0 : 1;
      },
    );

  program
    .command('identifiers')
    .description('print the identifier catalogue')
    .option('--json', 'print the whole catalogue as JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ identifiers: CATALOGUE }, null, 2)}\n`);
        return;
      }
      for (const entry of CATALOGUE) {
        const length =
          entry.length.min === entry.length.max
            ? `${entry.length.min}`
            : `${entry.length.min}–${entry.length.max}`;
        process.stdout.write(
          `${entry.type.padEnd(11)} ${entry.name}\n` +
            `${''.padEnd(11)} ${length} ${entry.alphabet}; check: ${entry.check.algorithm}; ` +
            `travels: ${entry.travels.join(', ') || '—'}; ${entry.standards.join(', ')}\n` +
            `${''.padEnd(11)} e.g. ${entry.examples.valid[0]}\n`,
        );
      }
    });
}
