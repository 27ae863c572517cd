import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const fr: Messages<keyof typeof en> = {
  'kym.allowed': 'OpenCEIR : IMEI {imei}{model} AUTORISÉ. Aucun signalement ne le concerne.',
  'kym.tracked':
    'OpenCEIR : IMEI {imei}{model} SOUS SURVEILLANCE. Il a été signalé et chaque utilisation est enregistrée. Ne l’achetez pas.',
  'kym.blocked':
    'OpenCEIR : IMEI {imei}{model} BLOQUÉ. Il ne fonctionnera sur aucun réseau mobile. Ne l’achetez pas.',
  'kym.unknown':
    'OpenCEIR : l’IMEI {imei} n’est pas dans le registre. Comparez-le avec *#06# et la boîte, et demandez une facture au vendeur.',
  'kym.model': ' ({model})',
  'kym.reasons': 'Motif : {reasons}.',
  'list.separator': ', ',
  'reason.stolen': 'déclaré volé',
  'reason.lost': 'déclaré perdu',
  'reason.counterfeit': 'contrefaçon',
  'reason.invalid-identifier': 'IMEI non valide',
  'reason.duplicate': 'IMEI cloné',
  'reason.tampered': 'IMEI falsifié',
  'reason.unregistered': 'non enregistré',
  'reason.barred': 'interdit par le régulateur',
  'reason.court-order': 'décision de justice',
  'reason.fraud': 'fraude',
  'reason.foreign-stolen': 'volé à l’étranger',
  'reason.foreign-lost': 'perdu à l’étranger',
  'reason.test-device': 'appareil de test',
  'reason.monitoring': 'sous surveillance',
  'reason.investigation': 'enquête en cours',
  'reason.registered': 'enregistré',
  'reason.type-approved': 'modèle homologué',
  'reason.exempt': 'exempté',
  'reason.amnesty': 'période d’amnistie',
  'reason.golden': 'jamais bloqué',
  'invalid-imei':
    'OpenCEIR : « {input} » n’est pas un IMEI valide. Un IMEI compte 15 chiffres : composez *#06# pour le voir.',
  'report.accepted':
    'OpenCEIR : signalement {reference} reçu. Un code arrive par SMS : envoyez VERIFY {reference} suivi du code pour confirmer.',
  'report.existing':
    'OpenCEIR : ce téléphone a déjà un signalement en cours, {reference}. Envoyez STATUS {reference} pour le suivre.',
  'report.refused':
    'OpenCEIR : le signalement n’a pas pu être accepté. Vérifiez les IMEI ou faites le signalement sur le portail.',
  'verify.verified':
    'OpenCEIR : signalement {reference} confirmé. Un message suivra dès qu’il prendra effet.',
  'verify.wrong-code':
    'OpenCEIR : code erroné pour le signalement {reference}. Vérifiez le dernier code envoyé et réessayez.',
  'verify.expired':
    'OpenCEIR : le code du signalement {reference} a expiré. Demandez un nouveau code sur le portail.',
  'verify.too-many-attempts':
    'OpenCEIR : trop de codes erronés pour le signalement {reference}. Demandez à la police ou à votre opérateur de le confirmer.',
  'verify.unknown-case':
    'OpenCEIR : aucun signalement {reference} n’attend de code de ce numéro. Vérifiez la référence.',
  'verify.no-code':
    'OpenCEIR : le signalement {reference} n’attend pas de code. Envoyez STATUS {reference} pour le suivre.',
  'case.state': 'OpenCEIR : {reference} : {state}.',
  'case.unknown':
    'OpenCEIR : aucun signalement ni recours {reference} pour ce numéro. Vérifiez la référence.',
  'state.submitted': 'reçu, en attente du code',
  'state.verified': 'confirmé',
  'state.blocked': 'le téléphone est bloqué sur tous les réseaux',
  'state.tracked': 'le téléphone est suivi et chaque utilisation est signalée à la police',
  'state.recovered': 'le téléphone est retrouvé',
  'state.closed': 'clos',
  'state.withdrawn': 'retiré',
  'state.rejected': 'rejeté',
  'state.open': 'en cours d’examen',
  'state.escalated': 'en cours d’examen par un responsable',
  'state.upheld': 'décidé, le blocage est maintenu',
  'state.overturned': 'décidé, le blocage est levé',
  'state.partly-overturned': 'décidé, le blocage est levé en partie',
  'appeal.received':
    'OpenCEIR : recours {reference} reçu. La décision vous parviendra par SMS. Envoyez STATUS {reference} pour le suivre.',
  'appeal.existing':
    'OpenCEIR : un recours est déjà ouvert pour ce téléphone, {reference}. Envoyez STATUS {reference} pour le suivre.',
  'appeal.not-listed': 'OpenCEIR : l’IMEI {imei} n’est ni bloqué ni surveillé : il n’y a rien à contester.',
  'appeal.refused':
    'OpenCEIR : le recours n’a pas pu être accepté. Vérifiez l’IMEI ou déposez-le sur le portail.',
  'too-many': 'OpenCEIR : trop de demandes depuis ce numéro. Veuillez réessayer plus tard.',
  unavailable: 'OpenCEIR : le service est saturé. Veuillez réessayer dans quelques minutes.',
  help: 'OpenCEIR : KYM <IMEI> vérifie un téléphone (*#06# affiche l’IMEI). LOST ou STOLEN <IMEI> le signale perdu ou volé. Aussi : VERIFY <réf> <code>, STATUS <réf>, APPEAL <IMEI> <motif>.',
  'usage.kym':
    'OpenCEIR : pour vérifier un téléphone, envoyez KYM et son IMEI, p. ex. KYM 352099001761481. Composez *#06# pour voir l’IMEI.',
  'usage.report':
    'OpenCEIR : pour signaler un téléphone, envoyez LOST ou STOLEN et son IMEI, p. ex. STOLEN 352099001761481. Double SIM : les deux IMEI.',
  'usage.verify':
    'OpenCEIR : envoyez VERIFY, la référence du signalement et le code, p. ex. VERIFY C-7KQ4-9XZ2 123456.',
  'usage.status': 'OpenCEIR : envoyez STATUS et la référence, p. ex. STATUS C-7KQ4-9XZ2.',
  'usage.appeal':
    'OpenCEIR : envoyez APPEAL, l’IMEI et le motif, p. ex. APPEAL 352099001761481 acheté neuf avec facture.',
};
