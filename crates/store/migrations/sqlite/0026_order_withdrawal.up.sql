-- A supervision order can be withdrawn by the unit that issued it: why, when and by whom.
ALTER TABLE supervision_orders ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_orders ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE supervision_orders ADD COLUMN withdrawn_by_name TEXT NOT NULL DEFAULT '';
