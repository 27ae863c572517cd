/** The staff consoles' messages in the six UN languages (audience `console`). */
import { registerCatalogue } from '../index.ts';
import { ar } from './ar.ts';
import { type ConsoleKey, en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

export type { ConsoleKey };

export const consoleCatalogue = registerCatalogue<ConsoleKey>('console', { en, ar, zh, fr, ru, es });
