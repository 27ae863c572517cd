/**
 * The registry over HTTP, for CLI commands when a server holds the database (PGlite allows one
 * process) or when `--server` names one. Same methods as RegistryOperations, same answers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Rule } from '../ledger/fold.ts';
import type { ExportList, ExportOptions } from '../ledger/lists/export.ts';
import type { ImportType } from '../ledger/lists/formats.ts';
import type { ImportOptions, ImportReport } from '../ledger/lists/import.ts';
import type { VerifyReport } from '../ledger/verify.ts';
import type {
  ChangeInput,
  ChangeResult,
  DeviceReport,
  PairInput,
  RuleInput,
  StatusAction,
} from '../registry/operations.ts';
import type { TacChange, TacImportOptions, TacImportReport, TacModel } from '../tacdb/tacdb.ts';

/** What both the local operations and the HTTP client offer the CLI. */
export interface RegistryApi {
  changeStatus(id: string, action: StatusAction, input: ChangeInput): Promise<ChangeResult>;
  pair(id: string, action: 'pair' | 'unpair', input: PairInput): Promise<ChangeResult>;
  device(id: string, options?: { at?: string; imsi?: string }): Promise<DeviceReport>;
  addRule(input: RuleInput): Promise<ChangeResult>;
  removeRule(
    ruleKey: string,
    input?: { source?: string; note?: string; reference?: string },
  ): Promise<ChangeResult | null>;
  rules(kind?: string): Promise<Rule[]>;
  importList(type: ImportType, file: string, options?: ImportOptions): Promise<ImportReport>;
  exportList(list: ExportList, options?: ExportOptions): AsyncIterable<string>;
  importTacs(file: string, options?: TacImportOptions): Promise<TacImportReport>;
  tac(tac: string): Promise<{ model: TacModel | null; history: TacChange[] }>;
  verify(): Promise<VerifyReport>;
}

/** A problem-details answer from the server, with the fields it names. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly body: {
      title?: string;
      detail?: string;
      cause?: string;
      invalidParams?: { param: string; reason?: string }[];
    },
  ) {
    super(
      body.invalidParams?.map((p) => `${p.param}: ${p.reason}`).join('; ') ||
        body.detail ||
        body.title ||
        `HTTP ${status}`,
    );
    this.name = 'RemoteError';
  }
}

const query = (values: Record<string, string | number | boolean | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
};

export class RemoteRegistry implements RegistryApi {
  constructor(
    /** The server's base URL and admin key (exchange commands call their own endpoints with them). */
    readonly base: string,
    readonly apiKey: string,
  ) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: { stream: NodeJS.ReadableStream; size: number },
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    let payload: RequestInit['body'];
    if (raw) {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = String(raw.size);
      payload = raw.stream as unknown as RequestInit['body'];
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: payload,
        ...(raw ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      throw new Error(
        `cannot reach the OpenCEIR server at ${this.base}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new RemoteError(response.status, json ?? {});
    return json as T;
  }

  private async upload<T>(path: string, file: string): Promise<T> {
    const { size } = await stat(file);
    return this.request<T>('POST', path, undefined, { stream: createReadStream(file), size });
  }

  changeStatus(id: string, action: StatusAction, input: ChangeInput) {
    return this.request<ChangeResult>('POST', `/api/v1/devices/${encodeURIComponent(id)}/${action}`, input);
  }

  pair(id: string, action: 'pair' | 'unpair', input: PairInput) {
    return this.request<ChangeResult>('POST', `/api/v1/devices/${encodeURIComponent(id)}/${action}`, input);
  }

  device(id: string, options: { at?: string; imsi?: string } = {}) {
    return this.request<DeviceReport>('GET', `/api/v1/devices/${encodeURIComponent(id)}${query(options)}`);
  }

  addRule(input: RuleInput) {
    return this.request<ChangeResult>('POST', '/api/v1/rules', input);
  }

  async removeRule(ruleKey: string, input: { source?: string; note?: string; reference?: string } = {}) {
    try {
      return await this.request<ChangeResult>(
        'DELETE',
        `/api/v1/rules/${encodeURIComponent(ruleKey)}${query(input)}`,
      );
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return null;
      throw error;
    }
  }

  async rules(kind?: string) {
    return (await this.request<{ rules: Rule[] }>('GET', `/api/v1/rules${query({ kind })}`)).rules;
  }

  importList(type: ImportType, file: string, options: ImportOptions = {}) {
    const { mode, dryRun, skipBadRows, source, preHashed, sizeCheck } = options;
    return this.upload<ImportReport>(
      `/api/v1/lists/${type}/import${query({ mode, dryRun, skipBadRows, source, preHashed, sizeCheck })}`,
      file,
    );
  }

  async *exportList(list: ExportList, options: ExportOptions = {}) {
    const response = await fetch(
      `${this.base}/api/v1/lists/${list}/export${query({ format: options.format, checkDigit: options.checkDigit })}`,
      {
        headers: { authorization: `Bearer ${this.apiKey}` },
      },
    );
    if (!response.ok || !response.body)
      throw new RemoteError(
        response.status,
        (await response.json().catch(() => ({}))) as RemoteError['body'],
      );
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      yield decoder.decode(chunk, { stream: true });
  }

  importTacs(file: string, options: TacImportOptions = {}) {
    return this.upload<TacImportReport>(
      `/api/v1/tacs/import${query({ source: options.source, dryRun: options.dryRun, skipBadRows: options.skipBadRows })}`,
      file,
    );
  }

  async tac(tac: string) {
    try {
      return await this.request<{ model: TacModel | null; history: TacChange[] }>(
        'GET',
        `/api/v1/tacs/${encodeURIComponent(tac)}`,
      );
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return { model: null, history: [] };
      throw error;
    }
  }

  verify() {
    return this.request<VerifyReport>('POST', '/api/v1/ledger/verify');
  }
}
