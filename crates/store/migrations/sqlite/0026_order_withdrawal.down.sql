ALTER TABLE supervision_orders DROP COLUMN withdrawn_by_name;
ALTER TABLE supervision_orders DROP COLUMN withdrawn_at;
ALTER TABLE supervision_orders DROP COLUMN withdrawn_reason;
