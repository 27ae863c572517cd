/** Status and reason codes as the portal says them, in the request's language. */
import type { Answer } from '../../check/policy.ts';
import type { PortalKey } from '../../i18n/portal/index.ts';
import { portalCatalogue } from '../../i18n/portal/index.ts';
import type { Localized } from './language.ts';

export function statusWord(l: Localized, status: Answer): string {
  return l.t(`status.${status}` as PortalKey);
}

export function statusDetail(l: Localized, status: Answer): string {
  return l.t(`status.${status}.detail` as PortalKey);
}

/** A reason code as a phrase; a code the catalogue does not know yet is shown as it is, never hidden. */
export function reasonPhrase(l: Localized, code: string): string {
  const key = `reason.${code}`;
  return key in portalCatalogue.en ? l.t(key as PortalKey) : l.t('reason.other', { code });
}

/** A time as people read it in their language, always in UTC (what the certificate signs). */
export function utcTime(l: Localized, iso: string | Date): string {
  return new Intl.DateTimeFormat(l.language, {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'UTC',
  }).format(new Date(iso));
}
