import { openSecretWith, sealSecretWith } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';

/** Every sealed column of the service: table, primary key, column. */
const sealedColumns = [
  { name: 'webhookSecrets', table: 'webhook_key_secrets', id: 'id', column: 'secret_encrypted' },
  { name: 'twilioTokens', table: 'twilio_accounts', id: 'tenant_id', column: 'auth_token_encrypted' },
  { name: 'sipPasswords', table: 'sip_accounts', id: 'tenant_id', column: 'password_encrypted' },
] as const;

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
  for (const { name, table, id, column } of sealedColumns) {
    const rows: { id: string; sealed: string }[] = await m.query(
      `SELECT ${id}::text AS id, ${column} AS sealed FROM ${table} ORDER BY ${id} FOR UPDATE`,
    );
    const resealed: { id: string; sealed: string }[] = [];
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
            `${table} ${row.id}: the secret opens with neither the old nor the new key; nothing was changed`,
          );
        }
      }
      resealed.push({ id: row.id, sealed: sealSecretWith(newKey, plain) });
    }
    if (resealed.length) {
      await m.query(
        `UPDATE ${table} t SET ${column} = r.sealed FROM jsonb_to_recordset($1::jsonb) AS r(id text, sealed text)
         WHERE t.${id}::text = r.id`,
        [JSON.stringify(resealed)],
      );
    }
    counts[name] = { resealed: resealed.length, already };
  }
  return counts;
}
