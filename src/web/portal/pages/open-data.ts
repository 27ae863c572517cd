/**
 * The public statistics page: the open-data figures (src/insight/open-data.ts) as plain tables, with
 * withheld cells marked, a form to change the range and breakdown, and links to the JSON and its
 * schema. The page's few words are kept here in the six UN languages; measure names stay as the
 * API spells them so that the page, the JSON and docs/statistics.md read the same.
 */
import type { FastifyRequest } from 'fastify';
import type { Language } from '../../../i18n/index.ts';
import { OPEN_DATA_BY, OPEN_DATA_SCHEMA_PATH, type OpenDataStatistics } from '../../../insight/open-data.ts';
import { html } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';

type Word =
  | 'title'
  | 'intro'
  | 'from'
  | 'to'
  | 'by'
  | 'show'
  | 'total'
  | 'withheld'
  | 'none'
  | 'json'
  | 'schema';

const WORDS: Readonly<Record<Language, Readonly<Record<Word, string>>>> = {
  en: {
    title: 'Open statistics',
    intro:
      'How the register works, in figures. Counts below {k} are withheld (—), with further cells where needed, so that no one can be singled out.',
    from: 'From',
    to: 'To',
    by: 'Breakdown',
    show: 'Show',
    total: 'Total',
    withheld: 'withheld',
    none: 'unattributed',
    json: 'These figures as JSON',
    schema: 'JSON schema',
  },
  fr: {
    title: 'Statistiques ouvertes',
    intro:
      'Le fonctionnement du registre en chiffres. Les effectifs inférieurs à {k} sont masqués (—), avec d’autres cases si nécessaire, pour que personne ne puisse être identifié.',
    from: 'Du',
    to: 'Au',
    by: 'Ventilation',
    show: 'Afficher',
    total: 'Total',
    withheld: 'masqué',
    none: 'non attribué',
    json: 'Ces chiffres en JSON',
    schema: 'Schéma JSON',
  },
  es: {
    title: 'Estadísticas abiertas',
    intro:
      'El funcionamiento del registro en cifras. Los recuentos inferiores a {k} se ocultan (—), con otras celdas si hace falta, para que nadie pueda ser identificado.',
    from: 'Desde',
    to: 'Hasta',
    by: 'Desglose',
    show: 'Mostrar',
    total: 'Total',
    withheld: 'oculto',
    none: 'sin atribuir',
    json: 'Estas cifras en JSON',
    schema: 'Esquema JSON',
  },
  ru: {
    title: 'Открытая статистика',
    intro:
      'Работа реестра в цифрах. Значения меньше {k} скрыты (—), при необходимости вместе с другими ячейками, чтобы никого нельзя было выделить.',
    from: 'С',
    to: 'По',
    by: 'Разбивка',
    show: 'Показать',
    total: 'Итого',
    withheld: 'скрыто',
    none: 'без привязки',
    json: 'Эти данные в JSON',
    schema: 'Схема JSON',
  },
  zh: {
    title: '公开统计',
    intro:
      '以数字说明登记系统的运作。小于 {k} 的计数不予公布（—），必要时其他单元格也不公布，以免识别任何个人。',
    from: '起',
    to: '止',
    by: '分组',
    show: '显示',
    total: '合计',
    withheld: '不公布',
    none: '未归属',
    json: '以 JSON 获取这些数字',
    schema: 'JSON 模式',
  },
  ar: {
    title: 'إحصاءات مفتوحة',
    intro:
      'عمل السجل بالأرقام. تُحجب الأعداد الأقل من {k} (—)، ومعها خانات أخرى عند الحاجة، حتى لا يمكن تمييز أي شخص.',
    from: 'من',
    to: 'إلى',
    by: 'التصنيف',
    show: 'عرض',
    total: 'المجموع',
    withheld: 'محجوب',
    none: 'غير منسوب',
    json: 'هذه الأرقام بصيغة JSON',
    schema: 'مخطط JSON',
  },
};

export function openDataPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  stats: OpenDataStatistics,
  apiHref: string,
  error: string | null = null,
): string {
  const w = WORDS[l.language];
  const figure = (value: number | null, suppressed: boolean) =>
    suppressed ? html`<abbr title="${w.withheld}">—</abbr>` : html`${String(value ?? 0)}`;
  const byOptions = OPEN_DATA_BY.map(
    (b) => html`<option value="${b}"${b === stats.by ? html` selected` : ''}>${b}</option>`,
  );
  const tables = stats.measures.map(
    (m) => html`<section>
<h2>${m.name}</h2>
<p>${m.description}</p>
<table>
<thead><tr><th scope="col">${stats.by}</th><th scope="col">${m.name}</th></tr></thead>
<tbody>${m.cells.map(
      (c) =>
        html`<tr><th scope="row">${c.group ?? w.none}</th><td>${figure(c.value, c.suppressed)}</td></tr>`,
    )}
<tr><th scope="row">${w.total}</th><td>${figure(m.total.value, m.total.suppressed)}</td></tr></tbody>
</table>
</section>`,
  );
  const body = html`<h1>${w.title}</h1>
<p>${w.intro.replace('{k}', String(stats.min_cell))}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="get" action="/open-data">
<label>${w.from} <input type="text" name="from" value="${stats.from}" pattern="\\d{4}-\\d{2}-\\d{2}"></label>
<label>${w.to} <input type="text" name="to" value="${stats.to}" pattern="\\d{4}-\\d{2}-\\d{2}"></label>
<label>${w.by} <select name="by">${byOptions}</select></label>
<button type="submit">${w.show}</button>
</form>
${tables}
<p><a href="${apiHref}">${w.json}</a> · <a href="${OPEN_DATA_SCHEMA_PATH}">${w.schema}</a> (${stats.schema_version})</p>`;
  return page(l, request, { title: w.title, section: 'home', body, version });
}
