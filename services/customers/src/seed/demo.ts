import { demo } from '@thankstar/platform/testing';
import type { EntityManager } from 'typeorm';
import { phoneKeys } from '../customers/phone-keys';

/** Fixed ids so a second seed run changes nothing. */
const ids = {
  purchases: [
    '00000000-0000-4000-8000-00000000b101',
    '00000000-0000-4000-8000-00000000b102',
    '00000000-0000-4000-8000-00000000b103',
  ],
  interactions: ['00000000-0000-4000-8000-00000000e101', '00000000-0000-4000-8000-00000000e102'],
};

export const demoEmployeeNumber = { number: '03-5555-0101', label: '営業部 田中' };
export const demoNuisanceNumber = { number: '0120-000-999', reason: '強引な営業電話 (しつこい)' };

/** Customers' part of the demo tenant: 山田 太郎 with history, one employee and one nuisance number. Idempotent. */
export async function seedDemo(m: EntityManager): Promise<void> {
  const t = demo.tenantId;
  const c = demo.customer;
  await m.query(
    `INSERT INTO customers (id, tenant_id, external_id, name, name_kana, company, department, emails, postal_code, prefecture, city,
       street, building, tags, notes, created_by, updated_by)
     VALUES ($1, $2, 'DEMO-0001', $3, $4, '山田工務店', '総務部', '{taro@yamada-koumuten.example.jp}', '150-0001', '東京都', '渋谷区',
       '神宮前1-2-3', 'サンクスタービル 4F', '{常連,法人}', 'お昼(12-13時)は不在がち', 'seed', 'seed')
     ON CONFLICT (id) DO NOTHING`,
    [c.id, t, c.name, c.kana],
  );
  const keys = phoneKeys(c.phone);
  await m.query(
    `INSERT INTO customer_phones (id, tenant_id, customer_id, raw, e164, national_digits, type, label)
     VALUES ('00000000-0000-4000-8000-00000000c101', $1, $2, $3, $4, $5, 'MOBILE', '携帯') ON CONFLICT (id) DO NOTHING`,
    [t, c.id, c.phone, keys.e164, keys.nationalDigits],
  );
  const purchases = [
    ['2026-04-12', '業務用洗剤 5L', 2, 6_600, '店頭'],
    ['2026-07-03', 'モップ替えセット', 1, 3_300, '電話注文'],
    ['2026-10-21', '業務用洗剤 5L', 3, 9_900, '電話注文'],
  ] as const;
  for (const [i, [on, item, qty, yen, channel]] of purchases.entries()) {
    await m.query(
      `INSERT INTO purchases (id, tenant_id, customer_id, purchased_on, item, quantity, amount_yen, channel)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [ids.purchases[i], t, c.id, on, item, qty, yen, channel],
    );
  }
  const interactions = [
    [
      '2026-07-03T10:15:00+09:00',
      '電話注文: モップ替えセット。次回は洗剤もまとめて',
      '注文受付',
      demo.operator.id,
      demo.operator.name,
      null,
    ],
    [
      '2026-10-21T14:02:00+09:00',
      '洗剤3本の注文。12月に見積もり送付の約束',
      '注文受付',
      demo.admin.id,
      demo.admin.name,
      '2026-12-05',
    ],
  ] as const;
  for (const [i, [at, notes, outcome, operatorId, operatorName, followUp]] of interactions.entries()) {
    await m.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, kind, occurred_at, summary, notes, outcome, operator_id, operator_name,
         follow_up_on, follow_up_assignee_id, follow_up_assignee_name)
       VALUES ($1, $2, $3, 'CALL', $4, '着信 (東京店)', $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [
        ids.interactions[i],
        t,
        c.id,
        at,
        notes,
        outcome,
        operatorId,
        operatorName,
        followUp,
        followUp ? operatorId : null,
        followUp ? operatorName : null,
      ],
    );
  }
  const employee = phoneKeys(demoEmployeeNumber.number);
  await m.query(
    `INSERT INTO employee_numbers (tenant_id, raw, e164, national_digits, label, created_by) VALUES ($1, $2, $3, $4, $5, 'seed')
     ON CONFLICT (tenant_id, national_digits) DO NOTHING`,
    [t, demoEmployeeNumber.number, employee.e164, employee.nationalDigits, demoEmployeeNumber.label],
  );
  const nuisance = phoneKeys(demoNuisanceNumber.number);
  await m.query(
    `INSERT INTO nuisance_numbers (tenant_id, raw, e164, national_digits, reason, created_by) VALUES ($1, $2, $3, $4, $5, 'seed')
     ON CONFLICT (tenant_id, national_digits) DO NOTHING`,
    [t, demoNuisanceNumber.number, nuisance.e164, nuisance.nationalDigits, demoNuisanceNumber.reason],
  );
}
