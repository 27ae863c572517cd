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
  'footer.openData': 'Statistiques ouvertes',
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
  'report.title': 'Déclarer la perte ou le vol d’un téléphone',
  'report.intro':
    'Indiquez-nous de quel téléphone il s’agit. Nous envoyons un code à usage unique par SMS à votre numéro de mobile ; une fois ce code saisi, le téléphone est bloqué sur tous les réseaux du pays, ou suivi si vous choisissez le mode récupération.',
  'report.phoneSection': 'Le téléphone',
  'report.imei': 'IMEI',
  'report.imeiHint':
    'Le numéro à 15 chiffres du téléphone. Composez *#06# sur celui-ci pour l’afficher, ou regardez sur la boîte, la facture ou le contrat.',
  'report.imei2': 'Deuxième IMEI (facultatif)',
  'report.imei2Hint':
    'Les téléphones double SIM ont deux IMEI. Indiquez les deux, pour que le téléphone soit bloqué quelle que soit la SIM.',
  'report.brand': 'Marque (facultatif)',
  'report.model': 'Modèle (facultatif)',
  'report.lastMsisdn': 'Dernier numéro de téléphone utilisé dedans (facultatif)',
  'report.lastMsisdnHint':
    'Le numéro de la carte SIM qui s’y trouvait, avec l’indicatif du pays, par exemple +254712345678.',
  'report.eventSection': 'Ce qui s’est passé',
  'report.kind': 'L’avez-vous perdu ou vous a-t-il été volé ?',
  'report.kind.stolen': 'Il a été volé',
  'report.kind.lost': 'Je l’ai perdu',
  'report.mode': 'Que doit-il arriver au téléphone ?',
  'report.mode.block': 'Le bloquer',
  'report.mode.blockHint': 'Le téléphone cesse de fonctionner sur tous les réseaux mobiles.',
  'report.mode.track': 'Le suivre (mode récupération)',
  'report.mode.trackHint':
    'Le téléphone continue de fonctionner, et chaque utilisation sur un réseau est signalée à la police pour aider à le retrouver.',
  'report.incidentAt': 'Quand cela s’est-il passé ? (facultatif)',
  'report.incidentPlace': 'Où cela s’est-il passé ? (facultatif)',
  'report.incidentPlaceHint': 'Une ville, une rue ou un lieu.',
  'report.region': 'Région',
  'report.regionHint': 'Votre déclaration est transmise à la police de cette région.',
  'report.regionUnknown': 'Je ne sais pas',
  'report.police': 'Numéro de plainte (facultatif)',
  'report.policeHint': 'Si vous avez porté plainte, le numéro que la police vous a donné.',
  'report.youSection': 'Vous concernant',
  'report.name': 'Votre nom (facultatif)',
  'report.phone': 'Votre numéro de mobile',
  'report.phoneHint':
    'Nous envoyons le code à usage unique à ce numéro par SMS. Indiquez un numéro qui peut recevoir des messages maintenant, avec l’indicatif du pays.',
  'report.email': 'Adresse e-mail (facultatif)',
  'report.notify': 'Me prévenir par SMS quand le téléphone est utilisé sur un réseau',
  'report.privacy':
    'Votre nom et vos coordonnées ne sont vus que par la police et le personnel du registre qui traitent votre dossier. Ce site ne les affiche jamais.',
  'report.submit': 'Envoyer la déclaration',

  'problem.imei': 'Vérifiez l’IMEI.',
  'problem.imei2': 'Vérifiez le deuxième IMEI.',
  'problem.kind': 'Indiquez si le téléphone a été perdu ou volé.',
  'problem.mode': 'Choisissez de bloquer ou de suivre le téléphone.',
  'problem.brand': 'Vérifiez la marque.',
  'problem.model': 'Vérifiez le modèle.',
  'problem.lastMsisdn': 'Vérifiez le dernier numéro utilisé dans le téléphone.',
  'problem.incidentAt': 'Vérifiez la date et l’heure.',
  'problem.incidentPlace': 'Vérifiez le lieu.',
  'problem.region': 'Vérifiez la région.',
  'problem.policeReportNumber': 'Vérifiez le numéro de plainte.',
  'problem.reporterName': 'Vérifiez votre nom.',
  'problem.reporterPhone': 'Vérifiez votre numéro de mobile.',
  'problem.reporterEmail': 'Vérifiez l’adresse e-mail.',
  'problem.ground': 'Choisissez pourquoi le blocage devrait être levé.',
  'problem.statement': 'Vérifiez votre déclaration.',
  'problem.appellantName': 'Vérifiez votre nom.',
  'problem.appellantPhone': 'Vérifiez votre numéro de mobile ou votre adresse e-mail.',
  'problem.appellantEmail': 'Vérifiez l’adresse e-mail.',
  'problem.other': 'Vérifiez vos réponses.',
  'problem.nothingToAppeal':
    'Ce téléphone n’est ni bloqué ni suivi : il n’y a rien à contester. Vérifiez que l’IMEI est correct.',

  'case.find.title': 'Suivre votre dossier',
  'case.find.intro':
    'Saisissez la référence de votre déclaration. Elle commence par C, par exemple C-7KQ4-9XZ2, et figure dans le SMS que nous vous avons envoyé.',
  'case.find.label': 'Référence du dossier',
  'case.find.hint': 'Les espaces et les tirets n’ont pas d’importance.',
  'case.find.submit': 'Afficher mon dossier',
  'case.find.invalid':
    'Une référence de dossier ressemble à C-7KQ4-9XZ2 : la lettre C suivie de 8 lettres ou chiffres.',
  'case.find.unknown':
    'Aucun dossier ne porte cette référence. Vérifiez-la dans le SMS que nous vous avons envoyé.',
  'case.title': 'Dossier {reference}',
  'case.notFound': 'Dossier introuvable',
  'case.new':
    'Votre déclaration est enregistrée. Conservez sa référence : {reference}. Nous avons envoyé un code à 6 chiffres par SMS à votre numéro de mobile.',
  'case.existing':
    'Ce téléphone fait déjà l’objet d’une déclaration en cours, affichée ici : aucune nouvelle déclaration n’a été créée. Seule la personne qui l’a faite peut agir sur ce dossier, car les codes sont envoyés au numéro de mobile qu’elle a indiqué.',
  'case.state': 'État',
  'case.kind': 'Déclaration',
  'case.kind.stolen': 'Vol',
  'case.kind.lost': 'Perte',
  'case.phone': 'Téléphone',
  'case.phoneUnknown': 'Marque et modèle non indiqués',
  'case.imeis': 'IMEI se terminant par',
  'case.created': 'Déclaré le (UTC)',
  'case.updated': 'Dernière modification (UTC)',
  'case.state.submitted': 'En attente de votre code',
  'case.state.submitted.detail':
    'La déclaration est enregistrée mais pas encore confirmée. Rien n’est bloqué tant que le code à 6 chiffres envoyé par SMS n’a pas été saisi.',
  'case.state.verified': 'Confirmée',
  'case.state.verified.detail': 'La déclaration est confirmée et en cours d’application au téléphone.',
  'case.state.blocked': 'Bloqué',
  'case.state.blocked.detail':
    'Le téléphone est bloqué sur tous les réseaux mobiles du pays. S’il est utilisé avec une carte SIM, quelle qu’elle soit, la police est prévenue.',
  'case.state.tracked': 'Suivi (mode récupération)',
  'case.state.tracked.detail':
    'Le téléphone fonctionne toujours, et chaque utilisation sur un réseau est signalée à la police pour aider à le retrouver.',
  'case.state.recovered': 'Retrouvé',
  'case.state.recovered.detail':
    'Le téléphone est marqué comme retrouvé. Il reste bloqué jusqu’à ce que son propriétaire le débloque.',
  'case.state.closed': 'Clos',
  'case.state.closed.detail':
    'Le dossier est clos. Cette déclaration ne bloque plus le téléphone et ne le suit plus.',
  'case.state.withdrawn': 'Retirée',
  'case.state.withdrawn.detail':
    'La déclaration a été retirée. Elle ne bloque plus le téléphone et ne le suit plus.',
  'case.state.rejected': 'Rejetée',
  'case.state.rejected.detail':
    'La police ou le régulateur a rejeté la déclaration. Elle n’a aucun effet sur le téléphone.',
  'case.next': 'La suite',
  'case.next.submitted':
    'Saisissez le code ci-dessous. S’il n’est pas arrivé ou s’il a expiré, demandez-en un nouveau.',
  'case.next.verified': 'Rechargez cette page dans un instant pour voir le téléphone bloqué ou suivi.',
  'case.next.blocked':
    'Si vous récupérez votre téléphone, débloquez-le ici. Si vous voulez qu’il continue de fonctionner pour que la police puisse suivre son utilisation, passez en mode récupération.',
  'case.next.tracked':
    'Si vous récupérez votre téléphone, débloquez-le ici. Vous pouvez aussi le bloquer complètement à tout moment.',
  'case.next.recovered':
    'Dès que vous avez le téléphone en main, débloquez-le ici pour l’utiliser de nouveau avec n’importe quelle carte SIM.',
  'case.next.closed':
    'Vous n’avez plus rien à faire. Si le téléphone est de nouveau perdu ou volé, faites une nouvelle déclaration.',
  'case.next.withdrawn':
    'Vous n’avez plus rien à faire. Si le téléphone est de nouveau perdu ou volé, faites une nouvelle déclaration.',
  'case.next.rejected':
    'Si vous pensez qu’il s’agit d’une erreur, contactez la police en lui donnant la référence.',
  'case.code.label': 'Code à 6 chiffres',
  'case.code.hint': 'Celui du SMS que nous avons envoyé. Un code est valable {minutes} minutes.',
  'case.code.verify': 'Confirmer la déclaration',
  'case.code.resend': 'M’envoyer un nouveau code',
  'case.code.sent': 'Nous avons envoyé un nouveau code par SMS au numéro de mobile de la déclaration.',
  'case.code.wait':
    'Un code a été envoyé il y a moins d’une minute. Utilisez-le, ou attendez une minute avant d’en demander un autre.',
  'case.code.noPhone':
    'Cette déclaration ne comporte aucun numéro de mobile : aucun code ne peut être envoyé. Demandez à la police ou au personnel du registre d’agir sur le dossier.',
  'case.code.format': 'Saisissez les 6 chiffres du code.',
  'case.outcome.wrong-code':
    'Ce code n’est pas le bon. Vérifiez le dernier SMS que nous avons envoyé et réessayez.',
  'case.outcome.expired': 'Ce code a expiré. Demandez un nouveau code.',
  'case.outcome.too-many-attempts': 'Trop de codes erronés ont été saisis. Demandez un nouveau code.',
  'case.outcome.no-code': 'Aucun code n’est en attente pour ce dossier. Demandez d’abord un nouveau code.',
  'case.outcome.unknown-case': 'Aucun dossier ne porte cette référence.',
  'case.actions': 'Ce que vous pouvez faire',
  'case.actions.intro':
    'Chaque action demande un nouveau code : nous l’envoyons par SMS au numéro de mobile de la déclaration.',
  'case.action.unblock': 'J’ai récupéré mon téléphone : le débloquer',
  'case.action.unblock.detail':
    'Le téléphone fonctionne de nouveau sur tous les réseaux, et le dossier est clos.',
  'case.action.track': 'Passer en mode récupération',
  'case.action.track.detail':
    'Le téléphone fonctionne de nouveau, et chaque utilisation est signalée à la police.',
  'case.action.block': 'Le bloquer',
  'case.action.block.detail': 'Le téléphone cesse de fonctionner sur tous les réseaux mobiles.',
  'case.action.withdraw': 'Retirer la déclaration',
  'case.action.withdraw.detail':
    'Si vous l’avez déclaré par erreur. La déclaration ne bloque plus le téléphone et ne le suit plus.',
  'case.action.confirmTitle': 'Confirmer : {action}',
  'case.action.confirm': 'Confirmer avec le code',
  'case.action.cancel': 'Annuler',
  'case.action.impossible': 'Ce n’est pas possible tant que le dossier est dans cet état.',
  'case.done.verified': 'Merci : votre déclaration est confirmée.',
  'case.done.unblock': 'C’est fait : le téléphone est débloqué et le dossier est clos.',
  'case.done.track': 'C’est fait : le téléphone est maintenant en mode récupération.',
  'case.done.block': 'C’est fait : le téléphone est maintenant bloqué.',
  'case.done.withdraw': 'C’est fait : la déclaration est retirée.',
  'case.privacy': 'Cette page n’affiche jamais les données personnelles de la déclaration.',

  'appeal.title': 'Contester un blocage',
  'appeal.intro':
    'Si un téléphone qui vous appartient est bloqué ou suivi et que vous pensez qu’il s’agit d’une erreur, dites-nous pourquoi. Le personnel du registre décide sous {days} jours ; d’ici là, le téléphone reste dans son état actuel.',
  'appeal.imei': 'IMEI du téléphone',
  'appeal.ground': 'Pourquoi le blocage devrait-il être levé ?',
  'appeal.ground.good-faith-buyer': 'Je l’ai acheté de bonne foi',
  'appeal.ground.good-faith-buyer.detail': 'Je ne savais pas qu’il avait été déclaré perdu ou volé.',
  'appeal.ground.false-duplicate': 'Mon téléphone est authentique : son IMEI est copié',
  'appeal.ground.false-duplicate.detail':
    'Un autre appareil utilise le même IMEI (un clone), et mon téléphone a été bloqué à cause de lui.',
  'appeal.ground.recovered': 'Il a été perdu ou volé et son propriétaire l’a récupéré',
  'appeal.ground.recovered.detail': 'Le téléphone a été retrouvé ou rendu.',
  'appeal.ground.other': 'Une autre raison',
  'appeal.ground.other.detail': 'Expliquez-la dans votre déclaration.',
  'appeal.statement': 'Votre déclaration',
  'appeal.statementHint':
    'Ce qui s’est passé et pourquoi le blocage est une erreur, en 10 caractères au moins. Mentionnez toute facture ou tout document que vous pouvez présenter.',
  'appeal.contactSection': 'Comment nous vous informons de la décision',
  'appeal.contactHint': 'Indiquez un numéro de mobile ou une adresse e-mail, ou les deux.',
  'appeal.name': 'Votre nom (facultatif)',
  'appeal.phone': 'Numéro de mobile',
  'appeal.phoneHint':
    'Nous envoyons la décision par SMS. Avec l’indicatif du pays, par exemple +254712345678.',
  'appeal.email': 'Adresse e-mail',
  'appeal.privacy':
    'Votre déclaration et vos coordonnées ne sont vues que par le personnel du registre qui décide du recours.',
  'appeal.submit': 'Envoyer le recours',
  'appeal.follow': 'Suivre un recours',
  'appeal.follow.label': 'Référence du recours',
  'appeal.follow.hint': 'Elle commence par A, par exemple A-3M7P-Q2VX.',
  'appeal.follow.submit': 'Afficher le recours',
  'appeal.follow.invalid':
    'Une référence de recours ressemble à A-3M7P-Q2VX : la lettre A suivie de 8 lettres ou chiffres.',
  'appeal.follow.unknown': 'Aucun recours ne porte cette référence.',
  'appeal.status.title': 'Recours {reference}',
  'appeal.filed': 'Votre recours est bien reçu. Conservez sa référence : {reference}.',
  'appeal.existing':
    'Un recours est déjà ouvert pour ce téléphone ; voici son état. Aucun nouveau recours n’a été créé.',
  'appeal.state': 'État',
  'appeal.state.open': 'En attente de décision',
  'appeal.state.open.detail': 'Le personnel du registre décidera au plus tard à la date ci-dessous.',
  'appeal.state.escalated': 'Transmis à un niveau supérieur',
  'appeal.state.escalated.detail':
    'Aucune décision n’a été prise dans le délai : le recours a été transmis à un niveau supérieur. Le blocage peut être suspendu jusqu’à la décision.',
  'appeal.state.upheld': 'Décidé : le blocage est maintenu',
  'appeal.state.upheld.detail': 'Le recours a été refusé. Tous les motifs concernés restent en vigueur.',
  'appeal.state.overturned': 'Décidé : le blocage est levé',
  'appeal.state.overturned.detail':
    'Le recours a été accepté. Ces motifs ne bloquent plus le téléphone et ne le font plus suivre.',
  'appeal.state.partly-overturned': 'Décidé : le blocage est levé en partie',
  'appeal.state.partly-overturned.detail':
    'Certains motifs ont été levés et d’autres sont maintenus : voir ci-dessous.',
  'appeal.state.withdrawn': 'Retiré',
  'appeal.state.withdrawn.detail': 'Le recours a été retiré.',
  'appeal.filedAt': 'Déposé le (UTC)',
  'appeal.deadline': 'Décision attendue au plus tard le (UTC)',
  'appeal.reasons': 'Motifs concernés',
  'appeal.reason.blocked': 'bloqué : {reason}',
  'appeal.reason.tracked': 'suivi : {reason}',
  'appeal.outcome.pending': 'pas encore décidé',
  'appeal.outcome.upheld': 'maintenu',
  'appeal.outcome.overturned': 'levé',
  'appeal.publicOnly':
    'Cette page n’affiche que l’état du recours, jamais vos coordonnées ni votre déclaration.',
};
