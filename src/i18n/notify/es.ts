import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const es: Messages<keyof typeof en> = {
  verification: 'Código OpenCEIR {code} para la denuncia {reference}. Válido {minutes} min. No lo comparta.',
  blocked:
    'OpenCEIR: denuncia {reference} verificada. El teléfono queda bloqueado en todas las redes. {link}',
  tracked:
    'OpenCEIR: denuncia {reference} verificada. El teléfono sigue funcionando y cada uso se comunica a la policía. {link}',
  seen: 'OpenCEIR: su teléfono de la denuncia {reference} se usó en una red a las {time} UTC. La policía está informada. {link}',
  recovered:
    'OpenCEIR: el teléfono de la denuncia {reference} figura como recuperado. Para desbloquearlo: {link}',
  closed: 'OpenCEIR: la denuncia {reference} está cerrada y el teléfono ya no está bloqueado.',
  'appeal-received':
    'OpenCEIR: recurso {reference} recibido. Se resolverá en un plazo de {days} días. Seguimiento: {link}',
  'appeal-decided': 'OpenCEIR: el recurso {reference} está resuelto: {outcome}. Detalles: {link}',
  'outcome.upheld': 'el bloqueo se mantiene',
  'outcome.overturned': 'el bloqueo se levanta',
  'outcome.partly-overturned': 'el bloqueo se levanta en parte',
};
