/**
 * File uploads and downloads: bulk list import and export, the TAC database.
 *   POST /api/v1/lists/{type}/import   body: the list file (CSV, or zip holding one CSV), as uploaded
 *   GET  /api/v1/lists/{list}/export   CSV or JSON lines, streamed
 *   POST /api/v1/tacs/import           body: GSMA TAC file (pipe-separated, or zipped) or Osmocom CSV
 *   GET  /api/v1/tacs/{tac}            model, radio generations and change history
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { EXPORT_LISTS, type ExportList } from '../../ledger/lists/export.ts';
import { IMPORT_TYPES, type ImportType } from '../../ledger/lists/formats.ts';
import type { TacSource } from '../../tacdb/tacdb.ts';
import type { AppContext } from '../context.ts';
import { problem, sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';

const MAX_UPLOAD = 2 * 1024 ** 3;

/** Streams the request body into a temporary file, so a million-row list never sits in memory. */
async function withUpload<T>(request: FastifyRequest, work: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openceir-upload-'));
  try {
    const file = path.join(dir, 'upload');
    await pipeline(request.body as Readable, createWriteStream(file));
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const RowError = Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() });

const ImportReport = Type.Object({
  importId: Type.String({ description: 'From the file’s SHA-256; entries reference import:<importId>' }),
  type: Type.String(),
  mode: Type.String(),
  source: Type.String(),
  rows: Type.Integer(),
  ignored: Type.Integer({ description: 'Rows with a provisional status (DIRBS): read, not applied' }),
  errorCount: Type.Integer(),
  errors: Type.Array(RowError, { description: 'The first 1,000 bad rows, each with line, field and rule' }),
  adds: Type.Integer(),
  updates: Type.Integer(),
  removes: Type.Integer(),
  unchanged: Type.Integer(),
  samples: Type.Object({
    adds: Type.Array(Type.String()),
    updates: Type.Array(Type.String()),
    removes: Type.Array(Type.String()),
  }),
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  entries: Type.Integer(),
  head: Type.Union([Type.Object({ treeSize: Type.Integer(), rootHash: Type.String() }), Type.Null()]),
});

const TacReport = Type.Object({
  importId: Type.String(),
  source: Type.String(),
  rows: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(RowError),
  added: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
  shadowed: Type.Integer(),
  committed: Type.Boolean(),
});

const flag = (description: string) => Type.Optional(Type.Boolean({ description }));

export function fileRoutes(app: FastifyInstance, context: AppContext): void {
  const { registry } = context;

  app.post<{
    Params: { type: ImportType };
    Querystring: {
      mode?: 'full' | 'delta';
      dryRun?: boolean;
      skipBadRows?: boolean;
      source?: string;
      preHashed?: boolean;
      sizeCheck?: boolean;
    };
  }>(
    '/api/v1/lists/:type/import',
    {
      config: { access: 'admin' },
      bodyLimit: MAX_UPLOAD,
      schema: {
        tags: ['lists'],
        summary: 'Import a list file (DIRBS formats, or OpenCEIR devices)',
        description:
          'Send the file as the body (text/csv, or application/zip holding one CSV). Full lists replace what the source listed ' +
          'before; delta lists carry change_type add/update/remove. Nothing is committed when a row is bad, unless skipBadRows.',
        params: Type.Object({ type: Type.Union(IMPORT_TYPES.map((t) => Type.Literal(t))) }),
        querystring: Type.Object({
          mode: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('delta')])),
          dryRun: flag('Report what would change, commit nothing'),
          skipBadRows: flag('Commit the good rows, report the bad ones'),
          source: Type.Optional(Type.String({ description: 'Whose list this is (default regulator)' })),
          preHashed: flag('golden list: values are MD5 of the 14-digit IMEI'),
          sizeCheck: flag('DIRBS historic size check for full lists (default true)'),
        }),
        response: { 200: ImportReport, 400: Problem, 401: Problem },
      },
    },
    async (request, reply) => {
      // A file comes as a stream (text/csv, application/zip, …); none, or a parsed JSON value, is no file.
      if (!(request.body instanceof Readable))
        return problem(reply, {
          title: 'Bad request',
          status: 400,
          detail: 'send the list file as the request body',
          cause: 'NO_FILE',
        });
      const { mode, dryRun, skipBadRows, source, preHashed, sizeCheck } = request.query;
      return withUpload(request, (file) =>
        registry.importList(request.params.type, file, {
          mode,
          dryRun,
          skipBadRows,
          source,
          preHashed,
          sizeCheck,
        }),
      ).catch((error) => sendKnownError(reply, error));
    },
  );

  app.get<{ Params: { list: ExportList }; Querystring: { format?: 'csv' | 'jsonl'; checkDigit?: boolean } }>(
    '/api/v1/lists/:list/export',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['lists'],
        summary: 'Export a list as CSV (DIRBS layouts) or JSON lines',
        params: Type.Object({ list: Type.Union(EXPORT_LISTS.map((l) => Type.Literal(l))) }),
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')])),
          checkDigit: flag('Write 15-digit IMEIs with their Luhn digit'),
        }),
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.list}.${format}"`);
      return reply.send(
        Readable.from(
          registry.exportList(request.params.list, { format, checkDigit: request.query.checkDigit }),
        ),
      );
    },
  );

  app.post<{ Querystring: { source?: TacSource; dryRun?: boolean; skipBadRows?: boolean } }>(
    '/api/v1/tacs/import',
    {
      config: { access: 'admin' },
      bodyLimit: MAX_UPLOAD,
      schema: {
        tags: ['tac'],
        summary: 'Import the TAC database (GSMA pipe-separated file or zip, or the Osmocom CSV)',
        querystring: Type.Object({
          source: Type.Optional(
            Type.Union([Type.Literal('gsma'), Type.Literal('osmocom')], {
              description: 'Detected when absent',
            }),
          ),
          dryRun: flag('Report what would change, commit nothing'),
          skipBadRows: flag('Commit the good rows, report the bad ones'),
        }),
        response: { 200: TacReport, 400: Problem, 401: Problem },
      },
    },
    async (request, reply) => {
      // A file comes as a stream (text/csv, application/zip, …); none, or a parsed JSON value, is no file.
      if (!(request.body instanceof Readable))
        return problem(reply, {
          title: 'Bad request',
          status: 400,
          detail: 'send the TAC file as the request body',
          cause: 'NO_FILE',
        });
      return withUpload(request, (file) => registry.importTacs(file, request.query)).catch((error) =>
        sendKnownError(reply, error),
      );
    },
  );

  app.get<{ Params: { tac: string } }>(
    '/api/v1/tacs/:tac',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tac'],
        summary: 'A TAC: brand, model, device type, bands, radio generations, and its change history',
        params: Type.Object({ tac: Type.String() }),
        response: { 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      try {
        const { model, history } = await registry.tac(request.params.tac);
        if (!model && history.length === 0) {
          return problem(reply, {
            title: 'Not found',
            status: 404,
            detail: `TAC ${request.params.tac} is not in the TAC database`,
            cause: 'TAC_NOT_FOUND',
          });
        }
        return { tac: request.params.tac, model, history };
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  );
}
