import type { Messages } from '../index.ts';
import type { PortalKey } from './en.ts';

export const fr: Messages<PortalKey> = {
  'site.name': 'OpenCEIR',
  'site.tagline': 'Registre national des identités des appareils mobiles',
  skip: 'Aller au contenu principal',
  'nav.label': 'Menu principal',
  'nav.check': 'Vérifier un appareil',
  'nav.report': 'Déclarer une perte ou un vol',
  'nav.case': 'Suivre un dossier',
  'nav.appeal': 'Faire appel',
  'nav.verify': 'Vérifier un certificat',
  'language.label': 'Langue',
  'footer.docs': 'Documentation de l’API',
  'footer.licence': 'Licence libre (Apache-2.0)',
  'footer.version': 'OpenCEIR {version}',

  'home.title': 'Vérifiez un téléphone avant de l’acheter',
  'home.lead':
    'Ce registre recense les identifiants (IMEI) des téléphones mobiles déclarés volés, perdus ou contrefaits. Les réseaux mobiles refusent les téléphones bloqués. Vérifiez gratuitement n’importe quel téléphone ici.',
  'home.more': 'Vous pouvez aussi',
  'home.report': 'Déclarer la perte ou le vol de votre téléphone pour le faire bloquer',
  'home.case': 'Suivre votre dossier grâce à sa référence',
  'home.appeal': 'Faire appel si votre téléphone a été bloqué par erreur',
  'home.verify': 'Vérifier un certificat de statut que l’on vous a remis',
  'home.developers': 'Pour les opérateurs et les développeurs',
  'home.docs': 'Documentation de l’API',
  'home.openapi': 'Document OpenAPI',
  'home.healthz': 'État du service',
  'home.metrics': 'Métriques Prometheus',

  'check.title': 'Vérifier un appareil',
  'check.label': 'IMEI',
  'check.hint':
    'Le numéro à 15 chiffres du téléphone. Composez *#06# pour l’afficher, ou regardez sur la boîte ou dans les réglages.',
  'check.submit': 'Vérifier',
  'check.another': 'Vérifier un autre appareil',

  'error.summary': 'Un problème est survenu',
  'error.empty': 'Saisissez l’IMEI de l’appareil.',
  'error.characters':
    'Un IMEI ne contient que des chiffres (les espaces ou tirets entre les groupes sont acceptés).',
  'error.length':
    'Un IMEI compte 15 chiffres (14 sans le dernier, le chiffre de contrôle). Vous en avez saisi {count}.',
  'error.checkDigit':
    'Le dernier chiffre de cet IMEI devrait être {expected}, et non {given}. Vérifiez que vous l’avez bien recopié.',
  'error.invalid': 'Ce n’est pas un IMEI valide.',

  'answer.title': 'Résultat pour {identifier}',
  'status.allowed': 'Autorisé',
  'status.allowed.detail': 'Aucun signalement contre cet appareil. Les réseaux mobiles l’acceptent.',
  'status.tracked': 'Surveillé',
  'status.tracked.detail':
    'Cet appareil a été signalé. Il fonctionne toujours, mais chaque utilisation est surveillée.',
  'status.blocked': 'Bloqué',
  'status.blocked.detail': 'Cet appareil ne fonctionnera pas sur les réseaux mobiles.',
  'status.unknown': 'Inconnu',
  'status.unknown.detail': 'Cet appareil ne figure pas dans le registre.',
  'answer.reasons': 'Motif',
  'answer.model': 'Modèle',
  'answer.modelUnknown': 'Introuvable dans la base des modèles',
  'answer.checkedAt': 'Vérifié le {time} (UTC)',

  'next.title': 'Que faire ensuite',
  'next.buyer.blocked':
    'Si vous comptez l’acheter : n’achetez pas ce téléphone. Il ne fonctionnera pas et il est peut-être volé.',
  'next.buyer.tracked':
    'Si vous comptez l’acheter : soyez prudent. Ce téléphone a été signalé ; demandez au vendeur une preuve qu’il lui appartient.',
  'next.buyer.allowed':
    'Si vous comptez l’acheter : aucun signalement n’est enregistré à ce jour. Demandez tout de même la boîte et la facture.',
  'next.buyer.unknown':
    'Si vous comptez l’acheter : vérifiez que l’IMEI a été saisi correctement. Un téléphone inconnu du registre peut être une contrefaçon.',
  'next.owner':
    'S’il vous appartient : suivez votre dossier, ou demandez son déblocage une fois que vous l’avez récupéré.',
  'next.wrong': 'S’il a été bloqué par erreur : faites appel de la décision.',

  'reason.stolen': 'déclaré volé',
  'reason.lost': 'déclaré perdu',
  'reason.counterfeit': 'contrefait ou non homologué pour ce marché',
  'reason.invalid-identifier': 'l’IMEI n’est pas valide ou n’a jamais été attribué',
  'reason.duplicate': 'le même IMEI est utilisé par plusieurs appareils (clone)',
  'reason.tampered': 'l’IMEI a été modifié ou falsifié',
  'reason.unregistered': 'non enregistré, alors que l’enregistrement est obligatoire',
  'reason.barred': 'interdit par le régulateur',
  'reason.court-order': 'sur décision d’un tribunal ou d’une autorité',
  'reason.fraud': 'utilisé pour une fraude',
  'reason.foreign-stolen': 'déclaré volé dans un autre pays',
  'reason.foreign-lost': 'déclaré perdu dans un autre pays',
  'reason.test-device': 'appareil de test utilisé sur un réseau commercial',
  'reason.monitoring': 'surveillé : les utilisations sont enregistrées, rien n’est refusé',
  'reason.investigation': 'surveillé dans le cadre d’une enquête',
  'reason.registered': 'enregistré',
  'reason.type-approved': 'modèle homologué pour ce marché',
  'reason.exempt': 'exempté par le régulateur',
  'reason.amnesty': 'autorisé pendant une période d’amnistie',
  'reason.golden': 'sur la liste des appareils jamais bloqués',
  'reason.other': 'autre motif ({code})',
  'reason.none': 'Aucun motif enregistré',

  'certificate.offer': 'Certificat de statut signé',
  'certificate.offerText':
    'Téléchargez cette réponse signée par le registre. Un acheteur, un magasin ou un assureur peut la vérifier, en ligne ou hors ligne.',
  'certificate.json': 'Télécharger le certificat (JSON)',
  'certificate.html': 'Certificat imprimable avec code QR',
  'certificate.title': 'Certificat de statut',
  'certificate.intro':
    'Le registre a signé cette déclaration du statut d’un appareil. Scannez le code ou ouvrez l’adresse ci-dessous pour la vérifier.',
  'certificate.identifier': 'IMEI vérifié',
  'certificate.status': 'Statut',
  'certificate.reasons': 'Motifs',
  'certificate.model': 'Modèle',
  'certificate.checkedAt': 'Vérifié le (UTC)',
  'certificate.ledger': 'Position dans le registre',
  'certificate.ledgerValue': '{size} entrées, racine {root}',
  'certificate.serial': 'Numéro de série',
  'certificate.key': 'Clé de signature',
  'certificate.verifyAt': 'Vérifier à l’adresse',
  'certificate.qr': 'Code QR contenant l’adresse de vérification',
  'certificate.print': 'Pour le conserver, imprimez cette page ou enregistrez-la en PDF.',
  'certificate.busy': 'Le registre est en cours de mise à jour. Veuillez réessayer dans un instant.',

  'verify.title': 'Vérifier un certificat de statut',
  'verify.intro':
    'Collez le certificat (le contenu de son fichier JSON, ou le code de son lien QR), ou choisissez le fichier.',
  'verify.paste': 'Certificat',
  'verify.pasteHint': 'Le texte JSON, ou le code qui suit c= dans l’adresse de vérification.',
  'verify.file': 'Fichier du certificat',
  'verify.fileHint': 'Le fichier .json que vous avez téléchargé.',
  'verify.submit': 'Vérifier',
  'verify.empty': 'Collez un certificat ou choisissez son fichier.',
  'verify.valid': 'Valide : signé par ce registre',
  'verify.validText':
    'Ce certificat a été émis par ce registre et n’a pas été modifié. Il indique le statut au {time} (UTC) ; le statut a pu changer depuis.',
  'verify.checkNow': 'Vérifier le statut actuel',
  'verify.invalid': 'Non valide',
  'verify.malformed': 'Le certificat est endommagé ou incomplet : le champ {field} est incorrect.',
  'verify.badSignature':
    'La signature ne correspond pas : le certificat a été modifié après sa signature, ou n’a pas été signé par ce registre.',
  'verify.unknownKey': 'Il a été signé avec une clé que ce registre ne connaît pas (clé {keyId}).',
  'verify.offline': 'Vérifier hors ligne',
  'verify.offlineText':
    'Téléchargez la clé publique du registre et suivez les étapes de la documentation (OpenSSL).',
  'verify.key': 'Clé publique du registre (PEM)',

  'limit.title': 'Trop de requêtes',
  'limit.text':
    'Vous avez envoyé de nombreuses requêtes en peu de temps. Veuillez patienter {seconds} secondes, puis réessayez.',
  'home.back': 'Retour à l’accueil',
};
