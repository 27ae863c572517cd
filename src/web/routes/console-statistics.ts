/**
 * /console/statistics (regulator): the effectiveness dashboard (Res. 97) for a period, grain,
 * operator, region or reason, and /console/statistics/<chart>.csv: the data of one chart, exactly
 * its matrix, for the same filters. Figures are recomputed from the records on every request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleKey } from '../../i18n/console/index.ts';
import { InsightInputError } from '../../insight/measures.ts';
import { chartCsv } from '../../insight/render/chart-data.ts';
import {
  type DashboardFilters,
  dashboardChart,
  dashboardChartSpec,
  dashboardCharts,
  parseDashboardFilters,
  type Translate,
} from '../../insight/render/dashboard.ts';
import { REASONS } from '../../ledger/reasons.ts';
import { type ConsoleLocalized, consoleLocalize } from '../console/language.ts';
import { sendConsolePage } from '../console/layout.ts';
import { FILTER_FIELDS, filterValues, statisticsPage } from '../console/pages/statistics.ts';
import type { AppContext } from '../context.ts';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from '../problem.ts';

type Query = Record<string, string | undefined>;

const options = { schema: { hide: true }, config: { access: ['regulator', 'auditor'] } } as const;

/** Regions are those of the police units; operators those of the operator organisations. */
async function choices(context: AppContext): Promise<{ operators: string[]; regions: string[] }> {
  const organisations = await context.accounts.organisations();
  const operators = organisations.flatMap((o) =>
    o.kind === 'operator' && o.operatorId ? [o.operatorId] : [],
  );
  const regions = organisations.flatMap((o) => (o.kind === 'police' ? o.regions : []));
  return { operators: [...new Set(operators)].sort(), regions: [...new Set(regions)].sort() };
}

function translate(l: ConsoleLocalized): Translate {
  return (key) => l.t(key as ConsoleKey);
}

/** Only the form's fields, as typed (for showing them back). */
function typed(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTER_FIELDS) if (typeof query[name] === 'string') out[name] = query[name];
  return out;
}

export function consoleStatisticsRoutes(app: FastifyInstance, context: AppContext): void {
  const db = context.store.db;

  app.get<{ Querystring: Query }>('/console/statistics', options, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const { operators, regions } = await choices(context);
    const reasons = REASONS.map((r) => r.code);
    let filters: DashboardFilters;
    try {
      filters = parseDashboardFilters(typed(request.query), new Date());
    } catch (error) {
      if (!(error instanceof InsightInputError)) throw error;
      return sendConsolePage(l, request, reply, {
        title: l.t('statistics.title'),
        status: 400,
        body: statisticsPage(l, {
          values: typed(request.query),
          query: '',
          charts: [],
          operators,
          regions,
          reasons,
          error: { field: error.field, rule: error.rule },
        }),
      });
    }
    const charts = await dashboardCharts(db, filters, translate(l), regions);
    const values = filterValues(filters);
    return sendConsolePage(l, request, reply, {
      title: l.t('statistics.title'),
      body: statisticsPage(l, {
        values,
        query: new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString(),
        charts,
        operators,
        regions,
        reasons,
      }),
    });
  });

  app.get<{ Params: { chart: string }; Querystring: Query }>(
    '/console/statistics/:chart.csv',
    options,
    async (
      request: FastifyRequest<{ Params: { chart: string }; Querystring: Query }>,
      reply: FastifyReply,
    ) => {
      const problem = (status: number, detail: string, param: string) =>
        reply
          .code(status)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            title: status === 404 ? 'Not found' : 'Bad request',
            status,
            detail,
            cause: status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST',
            invalidParams: [{ param, reason: detail }],
          } satisfies ProblemBody);
      const spec = dashboardChartSpec(request.params.chart);
      if (!spec) return problem(404, `no chart named ${request.params.chart}`, 'path chart');
      let filters: DashboardFilters;
      try {
        filters = parseDashboardFilters(typed(request.query), new Date());
      } catch (error) {
        if (!(error instanceof InsightInputError)) throw error;
        return problem(400, error.rule, `query ${error.field}`);
      }
      const l = consoleLocalize(request, reply);
      const { regions } = await choices(context);
      const { chart, available } = await dashboardChart(db, spec, filters, translate(l), regions);
      if (!available) {
        const param = filters.region ? 'query region' : filters.reason ? 'query reason' : 'query operator';
        return problem(400, `${spec.id} has no breakdown for the filters chosen`, param);
      }
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${spec.id}_${filters.from}_${filters.to}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(chartCsv(chart));
    },
  );
}
