/**
 * A minimal N5g-eir client (TS 29.511 §5.2.2.2, GET {apiRoot}/n5g-eir-eic/v1/equipment-status?pei=…)
 * for the compliance audit: asks an operator's EIR what it answers for a device, over h2c for an
 * http: API root and HTTP/2 over TLS for https:. One session for a whole sample; every request has
 * a deadline.
 */
import http2 from 'node:http2';
import type { DeviceStatus } from '../../ledger/entry.ts';

export type EirAnswer = DeviceStatus | 'unknown';

const WIRE: Readonly<Record<string, DeviceStatus>> = {
  WHITELISTED: 'allowed',
  BLACKLISTED: 'blocked',
  GREYLISTED: 'tracked',
};

export class EirClient {
  private readonly session: http2.ClientHttp2Session;
  private readonly prefix: string;
  private failure: Error | null = null;

  constructor(
    apiRoot: string,
    private readonly timeoutMs = 5_000,
  ) {
    const url = new URL(apiRoot);
    this.prefix = url.pathname.replace(/\/$/, '');
    this.session = http2.connect(url.origin);
    this.session.on('error', (error) => {
      this.failure = error;
    });
  }

  /** The EIR's status for a PEI (`imei-<15 digits>`); throws when it answers neither a status nor 404. */
  status(pei: string): Promise<EirAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':path': `${this.prefix}/n5g-eir-eic/v1/equipment-status?pei=${encodeURIComponent(pei)}`,
        accept: 'application/json',
      });
      let code = 0;
      let body = '';
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      stream.on('response', (headers) => {
        code = Number(headers[':status']);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (body.length < 65_536) body += chunk;
      });
      stream.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      stream.on('end', () => {
        clearTimeout(timer);
        if (code === 404) return resolve('unknown');
        if (code !== 200) return reject(new Error(`the EIR answered HTTP ${code}`));
        let status: unknown;
        try {
          status = (JSON.parse(body) as { status?: unknown }).status;
        } catch {
          return reject(new Error('the EIR answered with a body that is not JSON'));
        }
        const ours = typeof status === 'string' ? WIRE[status] : undefined;
        if (!ours) return reject(new Error(`the EIR answered an unknown status ${JSON.stringify(status)}`));
        resolve(ours);
      });
      stream.end();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.session.closed || this.session.destroyed) return resolve();
      this.session.close(() => resolve());
      // A session whose peer never answers the GOAWAY is destroyed after a while.
      setTimeout(() => {
        this.session.destroy();
        resolve();
      }, 2_000).unref();
    });
  }
}
