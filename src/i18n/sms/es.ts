import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const es: Messages<keyof typeof en> = {
  'kym.allowed': 'OpenCEIR: IMEI {imei}{model} PERMITIDO. No hay ninguna denuncia sobre él.',
  'kym.tracked':
    'OpenCEIR: IMEI {imei}{model} EN SEGUIMIENTO. Ha sido denunciado y cada uso queda registrado. No lo compre.',
  'kym.blocked': 'OpenCEIR: IMEI {imei}{model} BLOQUEADO. No funcionará en las redes móviles. No lo compre.',
  'kym.unknown':
    'OpenCEIR: el IMEI {imei} no está en el registro. Compárelo con *#06# y la caja, y pida una factura al vendedor.',
  'kym.model': ' ({model})',
  'kym.reasons': 'Motivo: {reasons}.',
  'list.separator': ', ',
  'reason.stolen': 'denunciado como robado',
  'reason.lost': 'denunciado como perdido',
  'reason.counterfeit': 'falsificado',
  'reason.invalid-identifier': 'IMEI no válido',
  'reason.duplicate': 'IMEI clonado',
  'reason.tampered': 'IMEI manipulado',
  'reason.unregistered': 'no registrado',
  'reason.barred': 'prohibido por el regulador',
  'reason.court-order': 'orden judicial',
  'reason.fraud': 'fraude',
  'reason.foreign-stolen': 'robado en el extranjero',
  'reason.foreign-lost': 'perdido en el extranjero',
  'reason.test-device': 'equipo de prueba',
  'reason.monitoring': 'bajo vigilancia',
  'reason.investigation': 'investigación en curso',
  'reason.registered': 'registrado',
  'reason.type-approved': 'modelo homologado',
  'reason.exempt': 'exento',
  'reason.amnesty': 'periodo de amnistía',
  'reason.golden': 'nunca se bloquea',
  'invalid-imei':
    'OpenCEIR: "{input}" no es un IMEI válido. Un IMEI tiene 15 dígitos: marque *#06# para verlo.',
  'report.accepted':
    'OpenCEIR: denuncia {reference} recibida. Le llegará un código por SMS: envíe VERIFY {reference} y el código para confirmar.',
  'report.existing':
    'OpenCEIR: este teléfono ya tiene una denuncia abierta, {reference}. Envíe STATUS {reference} para seguirla.',
  'report.refused': 'OpenCEIR: no se pudo aceptar la denuncia. Revise los IMEI o denuncie en el portal.',
  'verify.verified': 'OpenCEIR: denuncia {reference} confirmada. Le avisaremos cuando entre en vigor.',
  'verify.wrong-code':
    'OpenCEIR: código incorrecto para la denuncia {reference}. Revise el último código enviado e inténtelo de nuevo.',
  'verify.expired':
    'OpenCEIR: el código de la denuncia {reference} ha caducado. Pida un código nuevo en el portal.',
  'verify.too-many-attempts':
    'OpenCEIR: demasiados códigos incorrectos para la denuncia {reference}. Pida a la policía o a su operador que la confirme.',
  'verify.unknown-case':
    'OpenCEIR: ninguna denuncia {reference} espera un código de este número. Revise la referencia.',
  'verify.no-code':
    'OpenCEIR: la denuncia {reference} no necesita código ahora. Envíe STATUS {reference} para seguirla.',
  'case.state': 'OpenCEIR: {reference}: {state}.',
  'case.unknown': 'OpenCEIR: no hay denuncia ni recurso {reference} para este número. Revise la referencia.',
  'state.submitted': 'recibida, a la espera del código',
  'state.verified': 'confirmada',
  'state.blocked': 'el teléfono está bloqueado en todas las redes',
  'state.tracked': 'el teléfono está en seguimiento y cada uso se comunica a la policía',
  'state.recovered': 'el teléfono ha sido recuperado',
  'state.closed': 'cerrada',
  'state.withdrawn': 'retirada',
  'state.rejected': 'rechazada',
  'state.open': 'en estudio',
  'state.escalated': 'en estudio por un responsable',
  'state.upheld': 'resuelto, el bloqueo se mantiene',
  'state.overturned': 'resuelto, el bloqueo se levanta',
  'state.partly-overturned': 'resuelto, el bloqueo se levanta en parte',
  'appeal.received':
    'OpenCEIR: recurso {reference} recibido. La decisión le llegará por SMS. Envíe STATUS {reference} para seguirlo.',
  'appeal.existing':
    'OpenCEIR: ya hay un recurso abierto para este teléfono, {reference}. Envíe STATUS {reference} para seguirlo.',
  'appeal.not-listed':
    'OpenCEIR: el IMEI {imei} no está bloqueado ni en seguimiento: no hay nada que recurrir.',
  'appeal.refused': 'OpenCEIR: no se pudo aceptar el recurso. Revise el IMEI o recurra en el portal.',
  'too-many': 'OpenCEIR: demasiadas solicitudes desde este número. Inténtelo más tarde.',
  unavailable: 'OpenCEIR: el servicio está saturado. Inténtelo de nuevo en unos minutos.',
  help: 'OpenCEIR: KYM <IMEI> consulta un teléfono (*#06# muestra el IMEI). LOST o STOLEN <IMEI> lo denuncia perdido o robado. También: VERIFY <ref> <código>, STATUS <ref>, APPEAL <IMEI> <motivo>.',
  'usage.kym':
    'OpenCEIR: para consultar un teléfono, envíe KYM y su IMEI, p. ej. KYM 352099001761481. Marque *#06# para ver el IMEI.',
  'usage.report':
    'OpenCEIR: para denunciar un teléfono, envíe LOST o STOLEN y su IMEI, p. ej. STOLEN 352099001761481. Doble SIM: ambos IMEI.',
  'usage.verify':
    'OpenCEIR: envíe VERIFY, la referencia de la denuncia y el código, p. ej. VERIFY C-7KQ4-9XZ2 123456.',
  'usage.status': 'OpenCEIR: envíe STATUS y la referencia, p. ej. STATUS C-7KQ4-9XZ2.',
  'usage.appeal':
    'OpenCEIR: envíe APPEAL, el IMEI y el motivo, p. ej. APPEAL 352099001761481 comprado nuevo con factura.',
};
