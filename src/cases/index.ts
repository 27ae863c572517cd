/**
 * The cases part assembled: reports, alerts, appeals and the outbox over one ledger, with the two
 * background jobs (the alert raiser following sightings, and the appeal deadline sweep).
 */
import { notification } from '../i18n/notify/index.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Sealer } from '../privacy/seal.ts';
import { AlertRaiser, Alerts } from './alerts.ts';
import { Appeals } from './appeals.ts';
import { Cases } from './cases.ts';
import { type MessageRenderer, Outbox } from './outbox.ts';

export interface CaseDeskOptions {
  readonly verificationMinutes: number;
  readonly appealDays: number;
  readonly suspendOverdueAppeals: boolean;
  /** Base URL of the portal, for links in messages (a function when known only after listening). */
  readonly publicUrl: string | (() => string);
  /** Seals personal data at rest (src/privacy/seal.ts): contacts, alerts' IMSI and MSISDN. */
  readonly sealer: Sealer;
  readonly render?: MessageRenderer;
  readonly alertIntervalMs?: number;
  readonly onError?: (error: unknown, job: string) => void;
}

export class CaseDesk {
  readonly outbox: Outbox;
  readonly cases: Cases;
  readonly alerts: Alerts;
  readonly appeals: Appeals;
  readonly raiser: AlertRaiser;
  readonly sealer: Sealer;
  private sweep: NodeJS.Timeout | null = null;

  constructor(ledger: Ledger, options: CaseDeskOptions) {
    const render: MessageRenderer =
      options.render ?? ((kind, language, params) => notification(kind, language, params));
    this.sealer = options.sealer;
    this.outbox = new Outbox(ledger.db, options.sealer);
    const url = options.publicUrl;
    const publicUrl = typeof url === 'function' ? url : () => url;
    this.cases = new Cases(ledger, {
      verificationMinutes: options.verificationMinutes,
      render,
      outbox: this.outbox,
      sealer: options.sealer,
      get publicUrl() {
        return publicUrl();
      },
    });
    this.alerts = new Alerts(ledger.db, options.sealer);
    this.appeals = new Appeals(ledger, this.cases, {
      appealDays: options.appealDays,
      suspendOverdue: options.suspendOverdueAppeals,
      render,
      outbox: this.outbox,
      sealer: options.sealer,
      get publicUrl() {
        return publicUrl();
      },
    });
    this.raiser = new AlertRaiser(ledger.db, {
      sealer: options.sealer,
      render,
      outbox: this.outbox,
      get publicUrl() {
        return publicUrl();
      },
      intervalMs: options.alertIntervalMs,
      onError: (error) => options.onError?.(error, 'alerts'),
    });
    this.onError = options.onError;
  }

  private readonly onError: CaseDeskOptions['onError'];

  start(): this {
    this.raiser.start();
    const sweep = () => {
      this.appeals.escalateOverdue().catch((error) => this.onError?.(error, 'appeals'));
      this.sweep = setTimeout(sweep, 60_000);
      this.sweep.unref();
    };
    sweep();
    return this;
  }

  async stop(): Promise<void> {
    if (this.sweep) clearTimeout(this.sweep);
    await this.raiser.stop();
  }
}

export type { CaseActor, CaseRecord, OrganisationRef, PublicCaseView, ReportInput } from './cases.ts';
export { CaseNotFoundError, CasesInputError } from './cases.ts';
