import { describe, expect, it } from 'vitest';
import { runDimension } from './dimension.ts';
import { context, datasetOf, imei } from './fixtures.ts';
import { distanceKm, impossibleTravel } from './impossible_travel.ts';
import type { TimedSighting } from './model.ts';

const KARACHI = { lat: 24.8607, lon: 67.0011 };
const LAHORE = { lat: 31.5204, lon: 74.3587 };

function at(raw: string, time: string, where: { lat: number; lon: number }, cell: string): TimedSighting {
  return { imeiNorm: imei(raw), imsi: null, operator: 'op1', time, ...where, cell };
}

function keys(
  sightings: TimedSighting[],
  raw: unknown = {},
  end = '2026-01-11',
  windowEnd?: 'dirbs' | 'half-open',
) {
  const result = runDimension(
    impossibleTravel,
    datasetOf([], { sightings }),
    raw,
    context(end, windowEnd ? { windowEnd } : {}),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('impossible_travel', () => {
  it('measures great-circle distance (haversine, 6371 km)', () => {
    expect(distanceKm(KARACHI, LAHORE)).toBeGreaterThan(1020);
    expect(distanceKm(KARACHI, LAHORE)).toBeLessThan(1040);
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111.195, 3);
  });

  it('matches Karachi then Lahore within 30 minutes, not within 2 hours', () => {
    const fast = [
      at('35000000000001', '2026-01-05T10:00:00Z', KARACHI, 'KHI-1'),
      at('35000000000001', '2026-01-05T10:30:00Z', LAHORE, 'LHE-7'),
    ];
    const slow = [
      at('35000000000002', '2026-01-05T10:00:00Z', KARACHI, 'KHI-1'),
      at('35000000000002', '2026-01-05T12:00:00Z', LAHORE, 'LHE-7'),
    ];
    const matches = keys([...fast, ...slow]);
    expect([...matches.keys()]).toEqual(['35000000000001']);
    const km = Math.round(distanceKm(KARACHI, LAHORE));
    expect(matches.get(imei('35000000000001'))).toBe(
      `seen in cell KHI-1 (24.8607, 67.0011) on op1 at 2026-01-05T10:00:00.000Z and in cell LHE-7 (31.5204, 74.3587) ` +
        `on op1 at 2026-01-05T10:30:00.000Z: ${km} km in 30 min, ${Math.round(distanceKm(KARACHI, LAHORE) * 2)} km/h (limit 900 km/h)`,
    );
    expect([...keys([...fast, ...slow], { max_speed_kmh: 400 }).keys()].sort()).toEqual([
      '35000000000001',
      '35000000000002',
    ]);
  });

  it('two cells at the same instant: impossible unless closer than min_distance_km', () => {
    const near = { lat: KARACHI.lat, lon: KARACHI.lon + 0.02 }; // about 2 km east
    const same = [
      at('35000000000003', '2026-01-05T10:00:00Z', KARACHI, 'KHI-1'),
      at('35000000000003', '2026-01-05T10:00:00Z', near, 'KHI-2'),
    ];
    expect(keys(same).get(imei('35000000000003'))).toContain('at the same instant');
    expect(keys(same, { min_distance_km: 5 }).size).toBe(0);
  });

  it('finds a fast jump split into short hops below min_distance_km', () => {
    // Five hops of 20 km along the equator, 72 s each: 1000 km/h, each hop under 50 km; the six pairs
    // three or more hops apart (60, 80, 100 km) are impossible.
    const step = 20 / 111.19508;
    const hops = Array.from({ length: 6 }, (_, i) =>
      at(
        '35000000000004',
        new Date(Date.parse('2026-01-05T10:00:00Z') + i * 72_000).toISOString(),
        { lat: 0, lon: i * step },
        `C${i}`,
      ),
    );
    const matches = keys(hops, { min_distance_km: 50 });
    expect(matches.get(imei('35000000000004'))).toMatch(
      /^seen in cell C0 .* and in cell C5 .*: 100 km in 6 min, 1000 km\/h .*; 6 impossible pairs in all$/,
    );
  });

  it('keeps sightings of the end day with dirbs, not with half-open, and none before the lookback', () => {
    const onEnd = [
      at('35000000000005', '2026-01-11T10:00:00Z', KARACHI, 'KHI-1'),
      at('35000000000005', '2026-01-11T10:10:00Z', LAHORE, 'LHE-7'),
    ];
    expect(keys(onEnd).size).toBe(1);
    expect(keys(onEnd, {}, '2026-01-11', 'half-open').size).toBe(0);
    expect(keys(onEnd, { lookback_days: 3 }, '2026-01-20').size).toBe(0);
  });

  it('refuses a speed limit of 0 and a negative distance', () => {
    const result = impossibleTravel.parameters.validate({ max_speed_kmh: 0, min_distance_km: -1 });
    expect(!result.ok && result.errors.map((e) => `${e.field}:${e.rule}`)).toEqual([
      'max_speed_kmh:minimum',
      'min_distance_km:minimum',
    ]);
  });
});
