/** The public portal's messages in the six UN languages (audience `portal`). */
import { registerCatalogue } from '../index.ts';
import { ar } from './ar.ts';
import { en, type PortalKey } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

export type { PortalKey };

export const portalCatalogue = registerCatalogue<PortalKey>('portal', { en, ar, zh, fr, ru, es });
