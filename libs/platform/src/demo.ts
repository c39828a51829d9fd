/**
 * The demo tenant every local stack starts with (`npm start`). Each service seeds its own part
 * of it; these values are public on purpose and never used outside local development.
 */
export const demo = {
  tenantId: '00000000-0000-4000-8000-00000000d001',
  tenantName: 'デモ商店 (Thankstar demo)',
  operator: {
    id: '00000000-0000-4000-8000-00000000a001',
    email: 'operator@demo.thankstar.jp',
    password: 'demo-operator-2026',
    name: '佐藤 花子',
  },
  admin: {
    id: '00000000-0000-4000-8000-00000000a002',
    email: 'admin@demo.thankstar.jp',
    password: 'demo-admin-2026',
    name: '鈴木 一郎',
  },
  webhook: { keyId: 'demo-key-1', secret: 'demo-webhook-secret-change-me' },
  line: { number: '0312345678', label: '東京店' },
  customer: {
    id: '00000000-0000-4000-8000-00000000c001',
    name: '山田 太郎',
    kana: 'ヤマダ タロウ',
    phone: '09011112222',
  },
} as const;

/**
 * Why a demo seed must not run here, or null when it may. The demo's passwords and webhook
 * secret above are public: seeded into a production database they would be a way in.
 */
export function demoSeedRefusal(service: string, env: Record<string, string | undefined> = process.env): string | null {
  if (!/^prod(uction)?$/i.test(env.NODE_ENV?.trim() ?? '')) return null;
  return `${service}: NODE_ENV=production ではデモデータを投入できません (デモのパスワードと Webhook シークレットは公開されています)。demo seed refused: NODE_ENV=production.`;
}

/** Stops a seed script before it touches any database when demoSeedRefusal says so (exit code 78, EX_CONFIG). */
export function exitIfDemoSeedRefused(service: string): void {
  const refusal = demoSeedRefusal(service);
  if (refusal === null) return;
  console.error(refusal);
  process.exit(78);
}
