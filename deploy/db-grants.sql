-- Union Portal: the application role's rights (issue 14 M11). Run as the OWNER role after EVERY migrate
-- (a migration may add tables); it is idempotent:
--   psql "$MIGRATE_DATABASE_URL" -v app_role=unionportal -f deploy/db-grants.sql
-- tests/union_portal/test_db_roles.py runs this very file against the test database.
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
-- Tables a later migration creates get the same ordinary rights until this script runs again.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
-- Append-only: the audit log and the funds journal are written once and read, never changed. (Their
-- triggers refuse UPDATE/DELETE too; without ownership the application can neither disable them nor TRUNCATE.)
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON union_portal_auditlog, funds_journalentry, funds_journalline FROM :"app_role";
GRANT SELECT, INSERT ON union_portal_auditlog, funds_journalentry, funds_journalline TO :"app_role";
