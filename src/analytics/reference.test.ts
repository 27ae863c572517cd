/**
 * The reference lists analytics reads: taken from the registry's ledger state (so a case's block, a
 * DIRBS list import and a peer's report are all one "stolen"), and loaded identically into DuckDB and
 * PostgreSQL before a run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { DEFAULT_POLICY } from '../check/policy.ts';
import { goldenHash } from '../ledger/entry.ts';
import { Ledger } from '../ledger/ledger.ts';
import { HeadSigner } from '../ledger/signing.ts';
import { RegistryOperations } from '../registry/operations.ts';
import { DuckDbEngine } from './engines/duckdb.ts';
import { PostgresEngine } from './engines/postgres.ts';
import { type ReferenceLists, readReferenceLists } from './reference.ts';

const LISTS: ReferenceLists = {
  gsma: [
    {
      tac: '35209900',
      manufacturer: 'Acme',
      modelName: 'A1',
      deviceType: 'Smartphone',
      ratMask: (1 << 6) | (1 << 9),
    },
    { tac: '01234567', manufacturer: null, modelName: null, deviceType: null, ratMask: null },
  ],
  stolen: [
    { imeiNorm: '35209900176148', status: null },
    { imeiNorm: '35209900176149', status: 'tracked' },
  ],
  barred: ['35209900000001'],
  barredTac: ['35123400'],
  monitoring: [{ imeiNorm: '35209900000002', startDate: '2026-01-05T10:00:00Z' }],
  registration: [{ imeiNorm: '35209900000003', status: null, deviceType: 'Vehicle' }],
  association: [{ uid: 'ID-1', imeiNorm: '35209900000003' }],
  subscribers: [{ uid: 'ID-1', imsi: '639020000000001' }],
  pairing: [{ imeiNorm: '35209900176148', imsi: '639020000000001', msisdn: null }],
  golden: ['0123456789abcdef0123456789abcdef'],
};

describeStores('reference lists', (store, engine) => {
  it('loads the same snapshot into DuckDB and into this database, replacing the previous one', async () => {
    const duck = await DuckDbEngine.open(null);
    const pg = new PostgresEngine(store());
    try {
      await duck.loadReference({ ...LISTS, barred: ['35209900000099'] });
      for (const target of [duck, pg]) await target.loadReference(LISTS);
      const snapshot = await duck.referenceSnapshot();
      expect(await pg.referenceSnapshot()).toEqual(snapshot);
      expect(snapshot.ref_barred).toEqual(['35209900000001']);
      expect(snapshot.ref_monitoring).toEqual(['35209900000002,2026-01-05 10:00:00']);
      expect(snapshot.ref_gsma).toEqual(['01234567,,,,', '35209900,Acme,A1,Smartphone,576']);
      expect(snapshot.ref_pairing).toEqual(['35209900176148,639020000000001,']);
    } finally {
      await duck.close();
    }
  });

  describe(`read from the registry [${engine}]`, () => {
    let lists: ReferenceLists;
    beforeAll(async () => {
      const ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
      await ledger.init();
      const registry = new RegistryOperations(ledger, DEFAULT_POLICY, 'test');
      await registry.changeStatus('490154203237518', 'block', {
        reason: 'stolen',
        source: 'owner',
        reference: 'case:C-1',
      });
      await registry.changeStatus('356938035643809', 'track', { reason: 'stolen', source: 'police' });
      await registry.changeStatus('353879234252633', 'block', { reason: 'barred' });
      await registry.changeStatus('352099001761481', 'track', { reason: 'monitoring' });
      await registry.changeStatus('011234567890126', 'allow', { reason: 'registered' });
      await registry.pair('490154203237518', 'pair', { imsi: '639020000000001', msisdn: '254712345678' });
      await registry.addRule({ kind: 'tac', tac: '35123400', status: 'blocked', reasons: ['barred'] });
      await registry.addRule({ kind: 'golden', imei: '352099001761481' });
      await store().db.execute(
        sql`insert into analytics_subscriber (uid, imsi) values ('ID-1', '639020000000001')`,
      );
      await store().db.execute(sql`insert into tac_model (tac, brand, model, device_type, bands, source, import_id)
        values ('49015420', 'Acme', 'A1', 'Smartphone', 'GSM 900,LTE', 'test', 'test')`);
      lists = await readReferenceLists(store().db);
    });

    it('reads stolen from every source, recovery mode as provisional', () => {
      expect(lists.stolen).toEqual([
        { imeiNorm: '35693803564380', status: 'tracked' },
        { imeiNorm: '49015420323751', status: null },
      ]);
    });

    it('reads barred devices and TACs, monitoring with its start, registration, pairings, golden hashes, subscribers, GSMA bits', () => {
      expect(lists.barred).toEqual(['35387923425263']);
      expect(lists.barredTac).toEqual(['35123400']);
      expect(lists.monitoring.map((m) => m.imeiNorm)).toEqual(['35209900176148']);
      expect(lists.monitoring[0]!.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(lists.registration).toEqual([{ imeiNorm: '01123456789012', status: null, deviceType: null }]);
      expect(lists.pairing).toEqual([
        { imeiNorm: '49015420323751', imsi: '639020000000001', msisdn: '254712345678' },
      ]);
      expect(lists.golden).toEqual([goldenHash('35209900176148')]);
      expect(lists.subscribers).toEqual([{ uid: 'ID-1', imsi: '639020000000001' }]);
      expect(lists.gsma).toEqual([
        {
          tac: '49015420',
          manufacturer: 'Acme',
          modelName: 'A1',
          deviceType: 'Smartphone',
          ratMask: (1 << 6) | (1 << 12),
        },
      ]);
    });
  });
});
