import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const fr: Messages<keyof typeof en> = {
  verification:
    'Code OpenCEIR {code} pour la déclaration {reference}. Valable {minutes} min. Ne le communiquez pas.',
  blocked:
    'OpenCEIR : déclaration {reference} vérifiée. Le téléphone est désormais bloqué sur tous les réseaux. {link}',
  tracked:
    'OpenCEIR : déclaration {reference} vérifiée. Le téléphone reste utilisable et chaque usage est signalé à la police. {link}',
  seen: 'OpenCEIR : votre téléphone (déclaration {reference}) a été utilisé sur un réseau à {time} UTC. La police est informée. {link}',
  recovered:
    'OpenCEIR : le téléphone de la déclaration {reference} est marqué comme retrouvé. Pour le débloquer : {link}',
  closed: 'OpenCEIR : la déclaration {reference} est close et le téléphone n’est plus bloqué.',
  'appeal-received': 'OpenCEIR : recours {reference} reçu. Décision sous {days} jours. Suivi : {link}',
  'appeal-decided': 'OpenCEIR : le recours {reference} est tranché : {outcome}. Détails : {link}',
  'outcome.upheld': 'le blocage est maintenu',
  'outcome.overturned': 'le blocage est levé',
  'outcome.partly-overturned': 'le blocage est levé en partie',
};
