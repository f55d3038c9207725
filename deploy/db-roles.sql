-- Union Portal: the two database roles (issue 14 M11). Run ONCE, as a PostgreSQL superuser:
--   psql -v owner_role=unionportal_owner -v app_role=unionportal -v db=unionportal -f deploy/db-roles.sql postgres
-- then set the passwords (\password unionportal_owner, \password unionportal).
--
-- unionportal_owner owns the database and every table: only `manage.py migrate --database=owner`
--   (MIGRATE_DATABASE_URL) connects as it.
-- unionportal (the application: web, Celery worker and beat, DATABASE_URL) owns nothing, so it can never
--   TRUNCATE a table, disable or drop the append-only triggers, or alter a table; deploy/db-grants.sql
--   gives it SELECT/INSERT/UPDATE/DELETE on ordinary tables and only SELECT/INSERT on the audit log and the
--   funds journal.
CREATE ROLE :"owner_role" LOGIN;
CREATE ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
CREATE DATABASE :"db" OWNER :"owner_role" ENCODING 'UTF8';
\connect :"db"
-- Nobody but the owner creates objects in the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app_role";
