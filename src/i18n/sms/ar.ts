import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const ar: Messages<keyof typeof en> = {
  'kym.allowed': 'OpenCEIR: الجهاز ذو الرقم IMEI ‏{imei}{model} مسموح به. لا يوجد أي بلاغ بشأنه.',
  'kym.tracked':
    'OpenCEIR: الجهاز ذو الرقم IMEI ‏{imei}{model} قيد التتبع. صدر بلاغ بشأنه ويُسجَّل كل استخدام له. لا تشترِه.',
  'kym.blocked':
    'OpenCEIR: الجهاز ذو الرقم IMEI ‏{imei}{model} محظور. لن يعمل على شبكات الهاتف المحمول. لا تشترِه.',
  'kym.unknown':
    'OpenCEIR: الرقم IMEI ‏{imei} غير موجود في السجل. قارنه بما يظهر عند طلب *#06# وبما هو مطبوع على العلبة، واطلب من البائع فاتورة الشراء.',
  'kym.model': ' ({model})',
  'kym.reasons': 'السبب: {reasons}.',
  'list.separator': '، ',
  'reason.stolen': 'أُبلغ عن سرقته',
  'reason.lost': 'أُبلغ عن فقدانه',
  'reason.counterfeit': 'جهاز مقلَّد',
  'reason.invalid-identifier': 'رقم IMEI غير صالح',
  'reason.duplicate': 'رقم IMEI مستنسخ',
  'reason.tampered': 'رقم IMEI جرى التلاعب به',
  'reason.unregistered': 'غير مسجَّل',
  'reason.barred': 'محظور من الجهة التنظيمية',
  'reason.court-order': 'أمر قضائي',
  'reason.fraud': 'احتيال',
  'reason.foreign-stolen': 'مسروق في الخارج',
  'reason.foreign-lost': 'مفقود في الخارج',
  'reason.test-device': 'جهاز اختبار',
  'reason.monitoring': 'قيد المراقبة',
  'reason.investigation': 'قيد التحقيق',
  'reason.registered': 'مسجَّل',
  'reason.type-approved': 'طراز معتمد',
  'reason.exempt': 'مُعفى',
  'reason.amnesty': 'فترة عفو',
  'reason.golden': 'لا يُحظر أبداً',
  'invalid-imei': 'OpenCEIR: ‏"{input}" ليس رقم IMEI صالحاً. يتكوّن رقم IMEI من 15 رقماً، اطلب *#06# لعرضه.',
  'report.accepted':
    'OpenCEIR: تم استلام البلاغ {reference}. سيصلك رمز في رسالة نصية؛ أرسل VERIFY {reference} متبوعاً بالرمز للتأكيد.',
  'report.existing':
    'OpenCEIR: يوجد بالفعل بلاغ مفتوح لهذا الهاتف: {reference}. أرسل STATUS {reference} لمتابعته.',
  'report.refused': 'OpenCEIR: تعذّر قبول البلاغ. تحقّق من أرقام IMEI أو قدّم البلاغ عبر البوابة الإلكترونية.',
  'verify.verified': 'OpenCEIR: تم تأكيد البلاغ {reference}. ستصلك رسالة عند سريان مفعوله.',
  'verify.wrong-code': 'OpenCEIR: الرمز غير صحيح للبلاغ {reference}. تحقّق من آخر رمز أرسلناه وحاول مجدداً.',
  'verify.expired': 'OpenCEIR: انتهت صلاحية رمز البلاغ {reference}. اطلب رمزاً جديداً عبر البوابة الإلكترونية.',
  'verify.too-many-attempts':
    'OpenCEIR: أُدخلت رموز خاطئة كثيرة للبلاغ {reference}. اطلب من الشرطة أو من مشغّل شبكتك تأكيده.',
  'verify.unknown-case': 'OpenCEIR: لا يوجد بلاغ {reference} ينتظر رمزاً من هذا الرقم. تحقّق من المرجع.',
  'verify.no-code': 'OpenCEIR: البلاغ {reference} لا يحتاج إلى رمز الآن. أرسل STATUS {reference} لمتابعته.',
  'case.state': 'OpenCEIR: ‏{reference}: {state}.',
  'case.unknown': 'OpenCEIR: لا يوجد بلاغ أو طعن {reference} لهذا الرقم. تحقّق من المرجع.',
  'state.submitted': 'تم الاستلام، بانتظار الرمز',
  'state.verified': 'تم التأكيد',
  'state.blocked': 'الهاتف محظور على جميع الشبكات',
  'state.tracked': 'الهاتف قيد التتبع ويُبلَّغ عن كل استخدام له إلى الشرطة',
  'state.recovered': 'تم استرداد الهاتف',
  'state.closed': 'مغلق',
  'state.withdrawn': 'مسحوب',
  'state.rejected': 'مرفوض',
  'state.open': 'قيد الدراسة',
  'state.escalated': 'قيد الدراسة لدى مسؤول أعلى',
  'state.upheld': 'صدر القرار: يبقى الحظر',
  'state.overturned': 'صدر القرار: رُفع الحظر',
  'state.partly-overturned': 'صدر القرار: رُفع الحظر جزئياً',
  'appeal.received':
    'OpenCEIR: تم استلام الطعن {reference}. سيصلك القرار في رسالة نصية. أرسل STATUS {reference} لمتابعته.',
  'appeal.existing':
    'OpenCEIR: يوجد بالفعل طعن مفتوح لهذا الهاتف: {reference}. أرسل STATUS {reference} لمتابعته.',
  'appeal.not-listed': 'OpenCEIR: الجهاز ذو الرقم IMEI ‏{imei} غير محظور وغير متتبَّع، فلا يوجد ما يُطعن فيه.',
  'appeal.refused': 'OpenCEIR: تعذّر قبول الطعن. تحقّق من رقم IMEI أو قدّم الطعن عبر البوابة الإلكترونية.',
  'too-many': 'OpenCEIR: طلبات كثيرة جداً من هذا الرقم. يُرجى المحاولة لاحقاً.',
  unavailable: 'OpenCEIR: الخدمة مشغولة حالياً. يُرجى المحاولة بعد بضع دقائق.',
  help: 'OpenCEIR: أرسل KYM <IMEI> لفحص هاتف (اطلب *#06# لمعرفة IMEI)، وLOST أو STOLEN <IMEI> للإبلاغ عنه. وأيضاً: VERIFY <المرجع> <الرمز>، STATUS <المرجع>، APPEAL <IMEI> <السبب>.',
  'usage.kym':
    'OpenCEIR: لفحص هاتف أرسل KYM متبوعاً برقم IMEI، مثلاً KYM 352099001761481. اطلب *#06# لمعرفة الرقم.',
  'usage.report':
    'OpenCEIR: للإبلاغ عن هاتف أرسل LOST أو STOLEN متبوعاً برقم IMEI، مثلاً STOLEN 352099001761481. للهاتف ثنائي الشريحة: الرقمان معاً.',
  'usage.verify': 'OpenCEIR: أرسل VERIFY ثم مرجع البلاغ ثم الرمز، مثلاً VERIFY C-7KQ4-9XZ2 123456.',
  'usage.status': 'OpenCEIR: أرسل STATUS ثم المرجع، مثلاً STATUS C-7KQ4-9XZ2.',
  'usage.appeal':
    'OpenCEIR: أرسل APPEAL ثم رقم IMEI ثم السبب، مثلاً APPEAL 352099001761481 اشتريته جديداً بفاتورة.',
};
