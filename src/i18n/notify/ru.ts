import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const ru: Messages<keyof typeof en> = {
  verification:
    'Код OpenCEIR {code} для заявления {reference}. Действует {minutes} мин. Никому его не сообщайте.',
  blocked: 'OpenCEIR: заявление {reference} подтверждено. Телефон заблокирован во всех сетях. {link}',
  tracked:
    'OpenCEIR: заявление {reference} подтверждено. Телефон продолжает работать, о каждом использовании сообщается в полицию. {link}',
  seen: 'OpenCEIR: ваш телефон по заявлению {reference} использовался в сети в {time} UTC. Полиция уведомлена. {link}',
  recovered:
    'OpenCEIR: телефон по заявлению {reference} отмечен как возвращённый. Чтобы разблокировать: {link}',
  closed: 'OpenCEIR: заявление {reference} закрыто, телефон больше не заблокирован.',
  'appeal-received':
    'OpenCEIR: жалоба {reference} получена. Решение будет принято в течение {days} дн. Статус: {link}',
  'appeal-decided': 'OpenCEIR: по жалобе {reference} принято решение: {outcome}. Подробнее: {link}',
  'outcome.upheld': 'блокировка сохраняется',
  'outcome.overturned': 'блокировка снята',
  'outcome.partly-overturned': 'блокировка снята частично',
};
