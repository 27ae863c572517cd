/**
 * Police alerts (ITU-T Q.5051 §8.3): a sighting of a device in an open stolen or lost case that is
 * blocked or tracked raises an alert for the police unit that owns the case, with the SIM, network,
 * time and place. One alert per case and SIM while it is open: more sightings with the same SIM add
 * to its count, a new SIM raises a new alert. The owner is told when they asked to be.
 *
 * The raiser follows the sightings table by its arrival number, and moves its cursor in the same
 * transaction as the alerts it writes, so a crash neither loses nor doubles an alert.
 *
 * The IMSI and MSISDN stay sealed in the deterministic form from sighting to alert (src/privacy/columns.ts):
 * the raiser groups and copies them without opening them, and the SIM key of an alert is built from the
 * sealed values. {@link Alerts} opens them for the police who read the alert.
 */
import { sql } from 'drizzle-orm';
import { IMSI_FIELD, MSISDN_FIELD } from '../privacy/columns.ts';
import { SealError, type Sealer } from '../privacy/seal.ts';
import type { Database, Executor } from '../store/index.ts';
import { query } from '../store/index.ts';
import { REPORTER_PHONE } from './contacts.ts';
import { ALERTING_STATES } from './model.ts';
import type { MessageRenderer, Outbox } from './outbox.ts';
import { iso } from './sql.ts';

export const ALERT_STATES = ['new', 'acknowledged', 'following-up', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Alert {
  readonly id: string;
  readonly caseReference: string;
  readonly caseKind: string;
  readonly caseState: string;
  readonly deviceKey: string;
  readonly brand: string | null;
  readonly model: string | null;
  readonly policeUnit: string | null;
  readonly state: AlertState;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly network: string | null;
  readonly location: string | null;
  readonly protocol: string | null;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly sightings: number;
  readonly handledBy: string | null;
  readonly note: string | null;
}

/** The personal fields of an alert, named for the access log. */
export const ALERT_PERSONAL_FIELDS = ['imsi', 'msisdn', 'location'] as const;

const CURSOR = 'alerts';
const BATCH = 500;

export interface AlertRaiserOptions {
  /** Seals, in the deterministic form, IMSIs and MSISDNs of sightings stored before sealing was turned on. */
  readonly sealer: Sealer;
  readonly render: MessageRenderer;
  readonly outbox: Outbox;
  readonly publicUrl: string;
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

export class AlertRaiser {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly options: AlertRaiserOptions,
  ) {}

  start(): this {
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.options.intervalMs ?? 1_000);
      this.timer.unref();
    };
    tick();
    return this;
  }

  stop(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  /** Reads new sightings now (called after sightings are stored). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catchUp()
      .catch((error) => {
        this.options.onError?.(error);
        return 0;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Processes every sighting stored so far; returns how many alerts were raised or updated. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 10_000; round++) {
      const { read, touched } = await this.db.transaction((tx) => this.batch(tx));
      total += touched;
      if (read < BATCH) break;
    }
    if (total > 0) this.options.outbox.notify();
    return total;
  }

  private async batch(tx: Executor): Promise<{ read: number; touched: number }> {
    await tx.execute(
      sql`insert into cases_cursor (name, position) values (${CURSOR}, 0) on conflict do nothing`,
    );
    const [cursor] = await query<{ position: string | number }>(
      tx,
      sql`select position from cases_cursor where name = ${CURSOR} for update`,
    );
    const from = Number(cursor!.position);
    const [last] = await query<{ last: string | number | null; read: number }>(
      tx,
      sql`select max(seq) as last, count(*)::int as read from (
            select seq from sighting where seq > ${from} order by seq limit ${BATCH}) s`,
    );
    if (!last || last.read === 0 || last.last === null) return { read: 0, touched: 0 };
    const to = Number(last.last);
    // Sightings of devices in alerting cases, oldest first, grouped per case and SIM.
    const hits = await query<{
      caseId: string;
      reference: string;
      deviceKey: string;
      policeUnit: string | null;
      simKey: string;
      imsi: string | null;
      msisdn: string | null;
      network: string | null;
      location: string | null;
      protocol: string;
      first: string;
      last: string;
      count: number;
      lastId: string;
      notify: boolean;
      phone: string | null;
      language: string;
    }>(
      tx,
      sql`
      select c.id::text as "caseId", c.reference, s.device_key as "deviceKey", c.police_unit as "policeUnit",
        coalesce(s.imsi, 'msisdn:' || s.msisdn, 'unknown') as "simKey",
        (array_agg(s.imsi order by s.seq desc))[1] as imsi, (array_agg(s.msisdn order by s.seq desc))[1] as msisdn,
        (array_agg(s.network order by s.seq desc))[1] as network, (array_agg(s.location order by s.seq desc))[1] as location,
        (array_agg(s.protocol order by s.seq desc))[1] as protocol,
        ${iso('min(s.time)')} as first, ${iso('max(s.time)')} as last, count(*)::int as count,
        (array_agg(s.id order by s.seq desc))[1] as "lastId",
        c.notify_owner as notify, c.reporter_phone as phone, c.language
      from sighting s
      join case_device d on d.device_key = s.device_key and d.open
      join case_report c on c.id = d.case_id and c.state = any(${sql.param([...ALERTING_STATES])}::text[])
      where s.seq > ${from} and s.seq <= ${to}
      group by c.id, s.device_key, coalesce(s.imsi, 'msisdn:' || s.msisdn, 'unknown')`,
    );
    for (const found of hits) {
      const hit = this.sealed(found);
      if (hit.plainKey !== hit.simKey)
        // An open alert raised before sealing was turned on carries the SIM in clear: it takes the sealed key.
        await tx.execute(sql`
          update alert set sim_key = ${hit.simKey}, imsi = ${hit.imsi}, msisdn = coalesce(${hit.msisdn}, msisdn)
          where case_id = ${hit.caseId}::uuid and sim_key = ${hit.plainKey} and state <> 'closed'
            and not exists (select 1 from alert b where b.case_id = ${hit.caseId}::uuid and b.sim_key = ${hit.simKey}
                            and b.state <> 'closed')`);
      const [row] = await query<{ inserted: boolean }>(
        tx,
        sql`
        insert into alert (case_id, device_key, police_unit, sim_key, imsi, msisdn, network, location, protocol,
                           first_seen_at, last_seen_at, sightings, last_sighting_id)
        values (${hit.caseId}::uuid, ${hit.deviceKey}, ${hit.policeUnit}, ${hit.simKey}, ${hit.imsi}, ${hit.msisdn},
                ${hit.network}, ${hit.location}, ${hit.protocol}, ${hit.first}, ${hit.last}, ${hit.count}, ${hit.lastId})
        on conflict (case_id, sim_key) where state <> 'closed' do update set
          sightings = alert.sightings + excluded.sightings,
          last_seen_at = greatest(alert.last_seen_at, excluded.last_seen_at),
          network = coalesce(excluded.network, alert.network), location = coalesce(excluded.location, alert.location),
          msisdn = coalesce(excluded.msisdn, alert.msisdn), last_sighting_id = excluded.last_sighting_id,
          updated_at = now()
        returning (xmax = 0) as inserted`,
      );
      if (row?.inserted && hit.notify && hit.phone) {
        await this.options.outbox.enqueue(tx, {
          to: this.options.sealer.open(REPORTER_PHONE, hit.phone),
          text: this.options.render('seen', hit.language, {
            reference: hit.reference,
            time: hit.first.slice(0, 16).replace('T', ' '),
            link: `${this.options.publicUrl}/cases/${hit.reference}`,
          }),
          kind: 'seen',
          caseId: hit.caseId,
        });
      }
    }
    await tx.execute(sql`update cases_cursor set position = ${to} where name = ${CURSOR}`);
    return { read: last.read, touched: hits.length };
  }

  /**
   * A group of sightings with its IMSI and MSISDN sealed under the current key (a sighting stored in clear
   * before sealing, or sealed under a retired key, is sealed again), the SIM key built from them, and the
   * key the same SIM had in clear. A value under a key missing from the keyring is kept as stored, so
   * one such sighting does not hold up the alerts behind it.
   */
  private sealed<H extends { simKey: string; imsi: string | null; msisdn: string | null }>(
    hit: H,
  ): H & { plainKey: string } {
    const { sealer } = this.options;
    let plainImsi: string | null;
    let plainMsisdn: string | null;
    try {
      plainImsi = sealer.open(IMSI_FIELD, hit.imsi);
      plainMsisdn = sealer.open(MSISDN_FIELD, hit.msisdn);
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      return { ...hit, plainKey: hit.simKey };
    }
    const imsi = sealer.sealEqual(IMSI_FIELD, plainImsi);
    const msisdn = sealer.sealEqual(MSISDN_FIELD, plainMsisdn);
    const key = (i: string | null, m: string | null) => i ?? (m !== null ? `msisdn:${m}` : 'unknown');
    return { ...hit, imsi, msisdn, simKey: key(imsi, msisdn), plainKey: key(plainImsi, plainMsisdn) };
  }
}

const ALERT_COLUMNS = sql`a.id::text as id, c.reference as "caseReference", c.kind as "caseKind", c.state as "caseState",
  a.device_key as "deviceKey", c.brand, c.model, a.police_unit as "policeUnit", a.state, a.imsi, a.msisdn,
  a.network, a.location, a.protocol, ${iso('a.first_seen_at')} as "firstSeenAt",
  ${iso('a.last_seen_at')} as "lastSeenAt", a.sightings, a.handled_by as "handledBy", a.note`;

export interface AlertFilter {
  readonly policeUnit?: string | null;
  readonly state?: AlertState | 'open';
  readonly caseReference?: string;
  readonly limit?: number;
}

export class Alerts {
  constructor(
    private readonly db: Database,
    private readonly sealer: Sealer,
  ) {}

  /**
   * An alert as the police read it: IMSI and MSISDN opened. One sealed under a key missing from the
   * keyring reads as unknown (null) rather than hiding the whole list; the device, time and place remain.
   */
  private opened(alert: Alert): Alert {
    const open = (field: string, stored: string | null) => {
      try {
        return this.sealer.open(field, stored);
      } catch (error) {
        if (error instanceof SealError) return null;
        throw error;
      }
    };
    return { ...alert, imsi: open(IMSI_FIELD, alert.imsi), msisdn: open(MSISDN_FIELD, alert.msisdn) };
  }

  async list(filter: AlertFilter = {}): Promise<Alert[]> {
    const conditions = [sql`true`];
    if (filter.policeUnit) conditions.push(sql`a.police_unit = ${filter.policeUnit}`);
    if (filter.state === 'open') conditions.push(sql`a.state <> 'closed'`);
    else if (filter.state) conditions.push(sql`a.state = ${filter.state}`);
    if (filter.caseReference) conditions.push(sql`c.reference = ${filter.caseReference}`);
    const rows = await query<Alert>(
      this.db,
      sql`select ${ALERT_COLUMNS} from alert a join case_report c on c.id = a.case_id
          where ${sql.join(conditions, sql` and `)}
          order by (a.state = 'new') desc, a.last_seen_at desc limit ${Math.min(filter.limit ?? 100, 1000)}`,
    );
    return rows.map((row) => this.opened(row));
  }

  async get(id: string): Promise<Alert | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows = await query<Alert>(
      this.db,
      sql`select ${ALERT_COLUMNS} from alert a join case_report c on c.id = a.case_id where a.id = ${id}::uuid`,
    );
    return rows[0] ? this.opened(rows[0]) : null;
  }

  /** Police acknowledge, follow up or close an alert; the note says what they did. */
  async setState(id: string, state: AlertState, by: string, note: string | null): Promise<Alert | null> {
    const current = await this.get(id);
    if (!current) return null;
    await this.db.execute(sql`
      update alert set state = ${state}, handled_by = ${by}, note = coalesce(${note}, note), updated_at = now()
      where id = ${id}::uuid`);
    return this.get(id);
  }
}
