import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createTestStore } from '../../test/support/stores.ts';
import { identify } from '../identifiers/index.ts';

describe('REST API on PGlite', () => {
  let testApp: TestApp;
  let base: string;

  beforeAll(async () => {
    testApp = await createTestApp('pglite');
    base = testApp.base;
  });

  afterAll(async () => {
    await testApp.dispose();
  });

  it('GET /healthz and /readyz', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', version: '0.0.0-test' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok' },
    });
  });

  it('GET /api/v1/identify answers exactly what identify() does', async () => {
    for (const value of [
      'imeisv-4370816125816151',
      '490154203237517',
      '89049032123451234512345678901235',
      'xyz',
    ]) {
      const response = await fetch(`${base}/api/v1/identify?value=${encodeURIComponent(value)}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(JSON.parse(JSON.stringify(identify(value))));
    }
    const forced = await (await fetch(`${base}/api/v1/identify?value=490154203237517&source=network`)).json();
    expect(forced).toMatchObject({ valid: true, checkDigitState: 'mismatch' });
  });

  it('a missing or bad parameter is a problem+json 400 naming the field', async () => {
    const missing = await fetch(`${base}/api/v1/identify`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await missing.json()).toMatchObject({
      status: 400,
      cause: 'INVALID_REQUEST',
      invalidParams: [{ param: 'query value', reason: 'is required' }],
    });
    const badType = await fetch(`${base}/api/v1/identify?value=1&type=passport`);
    expect(badType.status).toBe(400);
    expect(
      ((await badType.json()) as { invalidParams: { param: string }[] }).invalidParams[0]!.param,
    ).toContain('query type');
  });

  it('unknown paths are problem+json 404', async () => {
    const response = await fetch(`${base}/api/v1/nothing-here?imei=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      title: 'Not found',
      status: 404,
      detail: 'no resource at GET /api/v1/nothing-here',
      cause: 'NOT_FOUND',
    });
  });

  it('GET /api/v1/identifiers lists at least 12 identifier types', async () => {
    const body = (await (await fetch(`${base}/api/v1/identifiers`)).json()) as {
      identifiers: { type: string }[];
    };
    expect(body.identifiers.length).toBeGreaterThanOrEqual(12);
    expect(body.identifiers.map((e) => e.type)).toEqual(
      expect.arrayContaining(['imei', 'pei', 'meid', 'eid', 'imsi']),
    );
  });

  it('GET /metrics is Prometheus text labelled by route, never by identifier', async () => {
    await fetch(`${base}/api/v1/identify?value=35209900176148`);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain(
      'openceir_http_request_duration_seconds_count{method="GET",route="/api/v1/identify",status="200"}',
    );
    expect(text).not.toContain('35209900176148');
  });

  it('serves an OpenAPI 3.1 document and its browsable UI', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/identify', '/api/v1/identifiers', '/healthz', '/readyz']),
    );
    const ui = await fetch(`${base}/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('the home page links to everything without JavaScript', async () => {
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain('href="/docs"');
    expect(html).not.toContain('<script');
  });
});

describe('readiness when the database is gone', () => {
  it('answers 503 with the reason', async () => {
    const testStore = await createTestStore('postgres');
    const { app } = await createTestApp('postgres', { store: testStore });
    await testStore.dispose();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'not-ready' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });
});
