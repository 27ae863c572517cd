-- Retention (docs/security.md, Privacy): the access log stays evidence an auditor can rely on, so an
-- UPDATE or TRUNCATE is still refused, and a DELETE too, except of rows older than the cut-off the
-- prune job sets for its own transaction (`set local openceir.access_log_before`). Rows newer than
-- the cut-off are refused even then.
CREATE OR REPLACE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before text := current_setting('openceir.access_log_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(before, '') <> '' AND OLD.at < before::timestamptz THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
DROP TRIGGER access_log_append_only ON access_log;
--> statement-breakpoint
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();
