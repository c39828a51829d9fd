import 'reflect-metadata';
import { dataSourceOptions } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { loadRekeyConfig } from '../config';
import { database } from '../database';
import { rekeySecrets } from './rekey';

/**
 * `TELEPHONY_SECRET_KEY_OLD=… TELEPHONY_SECRET_KEY_NEW=… npm run -w @thankstar/telephony rekey`:
 * re-seals the stored webhook secrets, Twilio auth tokens and SIP passwords under the new key,
 * in one transaction. The keys come from the environment, never from arguments (which `ps`
 * shows to everyone on the host).
 */
async function main(): Promise<void> {
  const { TELEPHONY_SECRET_KEY_OLD: oldKey, TELEPHONY_SECRET_KEY_NEW: newKey } = loadRekeyConfig();
  const ds = new DataSource(dataSourceOptions(database));
  await ds.initialize();
  try {
    const counts = await ds.transaction((m) => rekeySecrets(m, oldKey, newKey));
    console.log(JSON.stringify(counts));
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
