import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Customers, their numbers, purchases, interactions (対応履歴), popups and the tenant's number lists. */
export class Crm1764400300000 implements MigrationInterface {
  name = 'Crm1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        external_id text,
        name text NOT NULL,
        name_kana text,
        company text,
        department text,
        emails text[] NOT NULL DEFAULT '{}',
        postal_code text,
        prefecture text,
        city text,
        street text,
        building text,
        tags text[] NOT NULL DEFAULT '{}',
        notes text,
        owner_id text,
        custom_fields jsonb NOT NULL DEFAULT '{}',
        last_contact_at timestamptz,
        created_by text,
        updated_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX customers_external_id ON customers (tenant_id, external_id) WHERE external_id IS NOT NULL',
    );
    await q.query('CREATE INDEX customers_kana ON customers (tenant_id, name_kana, name)');
    await q.query('CREATE INDEX customers_tags ON customers USING gin (tags)');
    await q.query('CREATE INDEX customers_custom_fields ON customers USING gin (custom_fields jsonb_path_ops)');
    await q.query(`
      CREATE TABLE customer_phones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        raw text NOT NULL,
        e164 text,
        national_digits text,
        type text NOT NULL DEFAULT 'OTHER' CHECK (type IN ('MOBILE', 'HOME', 'WORK', 'FAX', 'OTHER')),
        label text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX customer_phones_e164 ON customer_phones (tenant_id, e164)');
    await q.query('CREATE INDEX customer_phones_digits ON customer_phones (tenant_id, national_digits)');
    await q.query('CREATE INDEX customer_phones_customer ON customer_phones (customer_id)');
    await q.query(`
      CREATE TABLE purchases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        purchased_on date NOT NULL,
        item text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        amount_yen bigint NOT NULL CHECK (amount_yen >= 0),
        channel text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX purchases_customer ON purchases (tenant_id, customer_id, purchased_on DESC)');
    await q.query(`
      CREATE TABLE interactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
        call_id text,
        popup_id uuid,
        kind text NOT NULL CHECK (kind IN ('CALL', 'NOTE')),
        occurred_at timestamptz NOT NULL,
        summary text NOT NULL,
        notes text,
        outcome text,
        notes_allowed boolean NOT NULL DEFAULT true,
        operator_id text,
        operator_name text,
        handled_by jsonb NOT NULL DEFAULT '[]',
        follow_up_on date,
        follow_up_assignee_id text,
        follow_up_assignee_name text,
        follow_up_done boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX interactions_call ON interactions (tenant_id, call_id) WHERE call_id IS NOT NULL',
    );
    await q.query('CREATE INDEX interactions_customer ON interactions (tenant_id, customer_id, occurred_at DESC)');
    await q.query(`
      CREATE TABLE interaction_edits (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        interaction_id uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        field text NOT NULL,
        old_value text,
        new_value text,
        edited_by text NOT NULL,
        edited_by_name text,
        edited_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX interaction_edits_interaction ON interaction_edits (tenant_id, interaction_id, id)');
    await q.query(`
      CREATE TABLE popups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        call_id text NOT NULL,
        class text NOT NULL,
        rang_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, call_id)
      )`);
    await q.query('CREATE INDEX popups_rang_at ON popups (tenant_id, rang_at)');
    for (const list of ['employee_numbers', 'nuisance_numbers']) {
      await q.query(`
        CREATE TABLE ${list} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          tenant_id uuid NOT NULL,
          raw text NOT NULL,
          e164 text,
          national_digits text NOT NULL,
          ${list === 'employee_numbers' ? 'label text' : 'reason text NOT NULL'},
          created_by text,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (tenant_id, national_digits)
        )`);
    }
    await q.query(`
      CREATE TABLE custom_field_definitions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
        label text NOT NULL,
        type text NOT NULL CHECK (type IN ('TEXT', 'NUMBER', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN')),
        options text[] NOT NULL DEFAULT '{}',
        required boolean NOT NULL DEFAULT false,
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'custom_field_definitions',
      'nuisance_numbers',
      'employee_numbers',
      'popups',
      'interaction_edits',
      'interactions',
      'purchases',
      'customer_phones',
      'customers',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
