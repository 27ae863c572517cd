import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const ru: Messages<keyof typeof en> = {
  'kym.allowed': 'OpenCEIR: IMEI {imei}{model} РАЗРЕШЁН. Заявлений по нему нет.',
  'kym.tracked':
    'OpenCEIR: IMEI {imei}{model} ОТСЛЕЖИВАЕТСЯ. По нему подано заявление, каждое использование фиксируется. Не покупайте его.',
  'kym.blocked':
    'OpenCEIR: IMEI {imei}{model} ЗАБЛОКИРОВАН. Он не будет работать в мобильных сетях. Не покупайте его.',
  'kym.unknown':
    'OpenCEIR: IMEI {imei} нет в реестре. Сверьте его с *#06# и коробкой и попросите у продавца чек.',
  'kym.model': ' ({model})',
  'kym.reasons': 'Причина: {reasons}.',
  'list.separator': ', ',
  'reason.stolen': 'заявлен как украденный',
  'reason.lost': 'заявлен как утерянный',
  'reason.counterfeit': 'подделка',
  'reason.invalid-identifier': 'недействительный IMEI',
  'reason.duplicate': 'клонированный IMEI',
  'reason.tampered': 'IMEI изменён',
  'reason.unregistered': 'не зарегистрирован',
  'reason.barred': 'запрещён регулятором',
  'reason.court-order': 'решение суда',
  'reason.fraud': 'мошенничество',
  'reason.foreign-stolen': 'украден за рубежом',
  'reason.foreign-lost': 'утерян за рубежом',
  'reason.test-device': 'тестовое устройство',
  'reason.monitoring': 'под наблюдением',
  'reason.investigation': 'расследование',
  'reason.registered': 'зарегистрирован',
  'reason.type-approved': 'сертифицированная модель',
  'reason.exempt': 'исключение',
  'reason.amnesty': 'период амнистии',
  'reason.golden': 'никогда не блокируется',
  'invalid-imei':
    'OpenCEIR: «{input}» не является действительным IMEI. IMEI состоит из 15 цифр: наберите *#06#, чтобы его увидеть.',
  'report.accepted':
    'OpenCEIR: заявление {reference} принято. Код придёт по SMS: отправьте VERIFY {reference} и код для подтверждения.',
  'report.existing':
    'OpenCEIR: по этому телефону уже есть открытое заявление {reference}. Отправьте STATUS {reference}, чтобы следить за ним.',
  'report.refused':
    'OpenCEIR: заявление не может быть принято. Проверьте IMEI или подайте заявление на портале.',
  'verify.verified': 'OpenCEIR: заявление {reference} подтверждено. Мы сообщим, когда оно вступит в силу.',
  'verify.wrong-code':
    'OpenCEIR: неверный код для заявления {reference}. Проверьте последний отправленный код и попробуйте снова.',
  'verify.expired':
    'OpenCEIR: срок действия кода для заявления {reference} истёк. Запросите новый код на портале.',
  'verify.too-many-attempts':
    'OpenCEIR: слишком много неверных кодов для заявления {reference}. Попросите полицию или оператора подтвердить его.',
  'verify.unknown-case':
    'OpenCEIR: заявление {reference} не ожидает кода с этого номера. Проверьте номер заявления.',
  'verify.no-code':
    'OpenCEIR: для заявления {reference} код сейчас не нужен. Отправьте STATUS {reference}, чтобы следить за ним.',
  'case.state': 'OpenCEIR: {reference}: {state}.',
  'case.unknown': 'OpenCEIR: для этого номера нет заявления или жалобы {reference}. Проверьте номер.',
  'state.submitted': 'принято, ожидается код',
  'state.verified': 'подтверждено',
  'state.blocked': 'телефон заблокирован во всех сетях',
  'state.tracked': 'телефон отслеживается, о каждом использовании сообщается в полицию',
  'state.recovered': 'телефон найден',
  'state.closed': 'закрыто',
  'state.withdrawn': 'отозвано',
  'state.rejected': 'отклонено',
  'state.open': 'на рассмотрении',
  'state.escalated': 'на рассмотрении у старшего специалиста',
  'state.upheld': 'решение принято, блокировка сохраняется',
  'state.overturned': 'решение принято, блокировка снята',
  'state.partly-overturned': 'решение принято, блокировка снята частично',
  'appeal.received':
    'OpenCEIR: жалоба {reference} принята. Решение придёт по SMS. Отправьте STATUS {reference}, чтобы следить за ней.',
  'appeal.existing':
    'OpenCEIR: по этому телефону уже есть открытая жалоба {reference}. Отправьте STATUS {reference}, чтобы следить за ней.',
  'appeal.not-listed': 'OpenCEIR: IMEI {imei} не заблокирован и не отслеживается, обжаловать нечего.',
  'appeal.refused': 'OpenCEIR: жалоба не может быть принята. Проверьте IMEI или подайте жалобу на портале.',
  'too-many': 'OpenCEIR: слишком много запросов с этого номера. Пожалуйста, повторите позже.',
  unavailable: 'OpenCEIR: сервис перегружен. Пожалуйста, повторите через несколько минут.',
  help: 'OpenCEIR: KYM <IMEI> проверяет телефон (*#06# покажет IMEI). LOST или STOLEN <IMEI> сообщает об утере или краже. Также: VERIFY <номер> <код>, STATUS <номер>, APPEAL <IMEI> <причина>.',
  'usage.kym':
    'OpenCEIR: чтобы проверить телефон, отправьте KYM и его IMEI, например KYM 352099001761481. Наберите *#06#, чтобы увидеть IMEI.',
  'usage.report':
    'OpenCEIR: чтобы заявить о телефоне, отправьте LOST или STOLEN и его IMEI, например STOLEN 352099001761481. Две SIM-карты: оба IMEI.',
  'usage.verify': 'OpenCEIR: отправьте VERIFY, номер заявления и код, например VERIFY C-7KQ4-9XZ2 123456.',
  'usage.status': 'OpenCEIR: отправьте STATUS и номер, например STATUS C-7KQ4-9XZ2.',
  'usage.appeal':
    'OpenCEIR: отправьте APPEAL, IMEI и причину, например APPEAL 352099001761481 куплен новым, есть чек.',
};
