/** The `sms` audience: answers to commands people send to the short code (KYM, LOST, VERIFY, …). */
import { type Catalogue, registerCatalogue } from '../index.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

export type SmsKey = keyof typeof en;

export const SMS: Catalogue<SmsKey> = registerCatalogue('sms', { en, ar, zh, fr, ru, es });
