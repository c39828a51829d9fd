import { openSecretWith, sealSecretWith } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { SipRepository } from '../sip/sip.repository';
import { TwilioRepository } from '../twilio/twilio.repository';
import { type SealedSecret, WebhookKeysRepository } from './webhook-keys.repository';

/** A feature's sealed column, through that feature's repository (every tenant's rows). */
interface SealedStore {
  sealedSecretsForUpdate(m: EntityManager): Promise<SealedSecret[]>;
  resealSecrets(m: EntityManager, secrets: readonly SealedSecret[]): Promise<void>;
}

/** Every sealed column of the service; `what` names it in errors. */
const sealedColumns = [
  { name: 'webhookSecrets', what: 'webhook_key_secrets', store: new WebhookKeysRepository() },
  { name: 'twilioTokens', what: 'twilio_accounts', store: new TwilioRepository() },
  { name: 'sipPasswords', what: 'sip_accounts', store: new SipRepository() },
] as const satisfies readonly { name: string; what: string; store: SealedStore }[];

export type RekeyCounts = Record<(typeof sealedColumns)[number]['name'], { resealed: number; already: number }>;

/**
 * Re-seals every stored secret from the old TELEPHONY_SECRET_KEY to the new one, in the
 * caller's transaction (all or nothing). A secret that already opens with the new key is left
 * as it is, so running it twice is harmless; one that opens with neither key aborts the whole
 * run and changes nothing.
 */
export async function rekeySecrets(m: EntityManager, oldKey: string, newKey: string): Promise<RekeyCounts> {
  if (!oldKey || !newKey) throw new Error('both the old and the new key are needed');
  if (oldKey === newKey) throw new Error('the new key is the old key');
  const counts = {} as RekeyCounts;
  for (const { name, what, store } of sealedColumns) {
    const rows = await store.sealedSecretsForUpdate(m);
    const resealed: SealedSecret[] = [];
    let already = 0;
    for (const row of rows) {
      let plain: string;
      try {
        plain = openSecretWith(oldKey, row.sealed);
      } catch {
        try {
          openSecretWith(newKey, row.sealed);
          already++;
          continue;
        } catch {
          throw new Error(
            `${what} ${row.id}: the secret opens with neither the old nor the new key; nothing was changed`,
          );
        }
      }
      resealed.push({ id: row.id, sealed: sealSecretWith(newKey, plain) });
    }
    if (resealed.length) await store.resealSecrets(m, resealed);
    counts[name] = { resealed: resealed.length, already };
  }
  return counts;
}
