-- The ledger is append-only, and the database enforces it too: an UPDATE, DELETE or TRUNCATE of a
-- ledger row, tree node or signed head is refused, whoever asks. (A superuser can still disable the
-- triggers; `openceir ledger verify` then finds the first altered position.)
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_node_append_only BEFORE UPDATE OR DELETE ON ledger_node FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_node_no_truncate BEFORE TRUNCATE ON ledger_node FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_head_append_only BEFORE UPDATE OR DELETE ON ledger_head FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
ALTER TABLE ledger_state ADD CONSTRAINT ledger_state_one_row CHECK (id = 1);
--> statement-breakpoint
INSERT INTO ledger_state (id, size, frontier, last_time_ms) VALUES (1, 0, '[]'::jsonb, 0) ON CONFLICT DO NOTHING;
