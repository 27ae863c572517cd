/** `openceir peer add` as a regulator runs it: a peer is read through its feed unless said otherwise. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/process.ts';

// Should a regression let the command run, it opens a data directory of its own, not the working tree's.
const dataDir = mkdtempSync(path.join(tmpdir(), 'openceir-peer-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('openceir peer add', () => {
  it('says in --help that the feed is the default and that --via ledger needs a follower key', async () => {
    const result = await runCli(['peer', 'add', '--help']);
    expect(result.code, result.stderr).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(choices: "ledger", "feed", default: "feed")');
    expect(help).toMatch(/ledger: its whole ledger API, only when it deliberately issued us a follower key/);
  });

  it('refuses a --via it does not know, naming the option and the choices, before it opens anything', async () => {
    const result = await runCli(
      [
        'peer',
        'add',
        'country-b',
        'http://127.0.0.1:9',
        '--public-key',
        'no-such-file.pem',
        '--via',
        'carrier-pigeon',
      ],
      { OPENCEIR_DATA_DIR: dataDir },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("option '--via <via>' argument 'carrier-pigeon' is invalid");
    expect(result.stderr).toContain('ledger, feed');
  });
});
