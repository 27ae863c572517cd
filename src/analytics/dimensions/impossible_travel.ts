/**
 * `impossible_travel` (OpenCEIR; ITU-T Q.5052 §7.4, absent from DIRBS): one IMEI seen in two places
 * too far apart for the time between them, a sign of a cloned IMEI.
 *
 * Over the timed sightings of an IMEI whose UTC day lies in [end − lookback_days, end) (and on the
 * end day too with `windowEnd: 'dirbs'`, as a DIRBS triplet last seen on the end day counts), a pair
 * of sightings is impossible when its great-circle distance is greater than `min_distance_km` and
 * distance ÷ time is greater than `max_speed_kmh` (two places at the same instant: any distance
 * above the minimum). Every pair is tested, not only consecutive sightings, so that a fast jump
 * split into short hops below `min_distance_km` is still found.
 *
 * Distance: haversine on a sphere of radius 6371.0 km (the SQL engines use the same formula and
 * radius). Order: by instant, then cell, latitude, longitude. Evidence names the worst pair
 * (highest speed, then longest distance, then earliest) and how many pairs were impossible.
 *
 * In SQL the sightings come from `timed_sighting`, whose times are UTC without a zone: their date is
 * the UTC day and `extract(epoch …)` the instant.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type Dimension, formatNumber, type Matches, plural } from './dimension.ts';
import { addDays, type TimedSighting } from './model.ts';
import { ParameterReader } from './parameters.ts';
import * as sql from './sql.ts';

export const EARTH_RADIUS_KM = 6371.0;

export interface ImpossibleTravelParameters {
  readonly maxSpeedKmh: number;
  readonly minDistanceKm: number;
  readonly lookbackDays: number;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}

function place(s: TimedSighting): string {
  return `cell ${s.cell} (${s.lat}, ${s.lon}) on ${s.operator} at ${new Date(s.time).toISOString()}`;
}

interface Jump {
  readonly from: TimedSighting;
  readonly to: TimedSighting;
  readonly km: number;
  readonly ms: number;
  readonly kmh: number;
}

export const impossibleTravel: Dimension<ImpossibleTravelParameters> = {
  name: 'impossible_travel',
  describe: 'seen in two places too far apart for the time between them (faster than max_speed_kmh)',
  parameters: {
    fields: [
      { name: 'max_speed_kmh', type: 'number', required: false, default: '900', rule: 'number > 0' },
      {
        name: 'min_distance_km',
        type: 'number',
        required: false,
        default: '0',
        rule: 'number ≥ 0; shorter jumps ignored',
      },
      { name: 'lookback_days', type: 'integer', required: false, default: '30', rule: 'integer ≥ 0' },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['max_speed_kmh', 'min_distance_km', 'lookback_days']);
      const maxSpeedKmh = reader.number('max_speed_kmh') ?? 900;
      const minDistanceKm = reader.number('min_distance_km') ?? 0;
      const lookbackDays = reader.integer('lookback_days', { min: 0 }) ?? 30;
      if (!(maxSpeedKmh > 0)) reader.fail('max_speed_kmh', 'minimum', 'max_speed_kmh must be greater than 0');
      if (!(minDistanceKm >= 0))
        reader.fail('min_distance_km', 'minimum', 'min_distance_km must be at least 0');
      return reader.result({ maxSpeedKmh, minDistanceKm, lookbackDays });
    },
  },
  evaluate(dataset, { maxSpeedKmh, minDistanceKm, lookbackDays }, context) {
    const start = addDays(context.analysisEnd, -lookbackDays);
    const inWindow = (s: TimedSighting): boolean => {
      const day = new Date(s.time).toISOString().slice(0, 10);
      return (
        day >= start &&
        (day < context.analysisEnd || (context.windowEnd === 'dirbs' && day === context.analysisEnd))
      );
    };
    const byImei = new Map<ImeiNorm, TimedSighting[]>();
    for (const s of dataset.sightings) {
      if (Number.isNaN(Date.parse(s.time)) || !inWindow(s)) continue;
      byImei.set(s.imeiNorm, [...(byImei.get(s.imeiNorm) ?? []), s]);
    }
    const matches: Matches = new Map();
    for (const [imei, sightings] of byImei) {
      const ordered = [...sightings].sort(
        (a, b) =>
          Date.parse(a.time) - Date.parse(b.time) ||
          (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0) ||
          a.lat - b.lat ||
          a.lon - b.lon,
      );
      let worst: Jump | null = null;
      let count = 0;
      for (let i = 0; i < ordered.length; i++) {
        for (let j = i + 1; j < ordered.length; j++) {
          const from = ordered[i]!;
          const to = ordered[j]!;
          const km = distanceKm(from, to);
          if (!(km > minDistanceKm)) continue;
          const ms = Date.parse(to.time) - Date.parse(from.time);
          const kmh = ms === 0 ? Number.POSITIVE_INFINITY : km / (ms / 3_600_000);
          if (!(kmh > maxSpeedKmh)) continue;
          count++;
          if (worst === null || kmh > worst.kmh || (kmh === worst.kmh && km > worst.km)) {
            worst = { from, to, km, ms, kmh };
          }
        }
      }
      if (worst === null) continue;
      const speed = Number.isFinite(worst.kmh)
        ? `${formatNumber(Math.round(worst.kmh))} km/h`
        : 'at the same instant';
      const others = count > 1 ? `; ${plural(count, 'impossible pair')} in all` : '';
      matches.set(
        imei,
        `seen in ${place(worst.from)} and in ${place(worst.to)}: ${formatNumber(Math.round(worst.km))} km in ` +
          `${duration(worst.ms)}, ${speed} (limit ${formatNumber(maxSpeedKmh)} km/h)${others}`,
      );
    }
    return matches;
  },
  sql({ maxSpeedKmh, minDistanceKm, lookbackDays }, context) {
    const start = sql.date(addDays(context.analysisEnd, -lookbackDays));
    const end = sql.date(context.analysisEnd);
    const beforeEnd = context.windowEnd === 'dirbs' ? '<=' : '<';
    // Every unordered pair once: the earlier sighting first, ties by the rest of the key.
    const before = `(a.at < b.at or (a.at = b.at and (a.operator < b.operator or (a.operator = b.operator
      and (a.imsi < b.imsi or (a.imsi = b.imsi and a.cell < b.cell))))))`;
    const km = sql.haversineKm(
      { lat: 'a.lat', lon: 'a.lon' },
      { lat: 'b.lat', lon: 'b.lon' },
      EARTH_RADIUS_KM,
    );
    const place = (s: string) =>
      `'cell ' || ${s}.cell || ' (' || ${sql.asText(`${s}.lat`)} || ', ' || ${sql.asText(`${s}.lon`)} || ') on ' || ${s}.operator
        || ' at ' || ${sql.asText(`${s}.seen_at`)}`;
    const rounded = (x: string) => sql.asText(`cast(round(${x}) as bigint)`);
    return `with s as (
        select imei_norm, seen_at, operator, imsi, cell, lat, lon, ${sql.epochSeconds('seen_at')} as at
        from timed_sighting
        where cast(seen_at as date) >= ${start} and cast(seen_at as date) ${beforeEnd} ${end}),
      pair as (
        select a.imei_norm, ${place('a')} as from_place, ${place('b')} as to_place, a.at as from_at, b.at - a.at as seconds,
          ${km} as km
        from s a join s b on a.imei_norm = b.imei_norm and ${before}),
      jump as (
        select *, case when seconds = 0 then null else km / (seconds * 1000 / 3600000) end as kmh
        from pair where km > ${sql.numberLiteral(minDistanceKm)}),
      impossible as (
        select *, row_number() over (partition by imei_norm
            order by case when kmh is null then 0 else 1 end, kmh desc, km desc, from_at, seconds) as rank,
          count(*) over (partition by imei_norm) as pairs
        from jump where kmh is null or kmh > ${sql.numberLiteral(maxSpeedKmh)})
      select imei_norm, 'seen in ' || from_place || ' and in ' || to_place || ': ' || ${rounded('km')} || ' km in '
          || case when seconds < 60 then ${rounded('seconds')} || ' s, ' else ${rounded('seconds / 60')} || ' min, ' end
          || case when kmh is null then 'at the same instant' else ${rounded('kmh')} || ' km/h' end
          || ${sql.text(` (limit ${formatNumber(maxSpeedKmh)} km/h)`)}
          || case when pairs > 1 then '; ' || ${sql.asText('pairs')} || ' impossible pairs in all' else '' end as evidence
      from impossible where rank = 1`;
  },
};
