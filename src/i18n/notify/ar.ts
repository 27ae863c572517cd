import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const ar: Messages<keyof typeof en> = {
  verification: 'رمز OpenCEIR ‏{code} للبلاغ {reference}. صالح لمدة {minutes} دقيقة. لا تشاركه مع أحد.',
  blocked: 'OpenCEIR: تم التحقق من البلاغ {reference}. الهاتف محظور الآن على جميع الشبكات. {link}',
  tracked:
    'OpenCEIR: تم التحقق من البلاغ {reference}. يبقى الهاتف عاملاً ويُبلَّغ عن كل استخدام له إلى الشرطة. {link}',
  seen: 'OpenCEIR: استُخدم هاتفك في البلاغ {reference} على شبكة في {time} بالتوقيت العالمي. تم إبلاغ الشرطة. {link}',
  recovered: 'OpenCEIR: تم تسجيل استرداد الهاتف في البلاغ {reference}. لإلغاء الحظر: {link}',
  closed: 'OpenCEIR: أُغلق البلاغ {reference} ولم يعد الهاتف محظوراً.',
  'appeal-received': 'OpenCEIR: تم استلام الطعن {reference}. يصدر القرار خلال {days} يوماً. للمتابعة: {link}',
  'appeal-decided': 'OpenCEIR: صدر القرار في الطعن {reference}: {outcome}. التفاصيل: {link}',
  'outcome.upheld': 'يبقى الحظر',
  'outcome.overturned': 'رُفع الحظر',
  'outcome.partly-overturned': 'رُفع الحظر جزئياً',
};
