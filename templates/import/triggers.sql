-- The user triggers of the tables of schema $1, with their definitions.
SELECT c.relname::text AS table_name,
       t.tgname::text AS name,
       p.proname::text AS function,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
WHERE n.nspname = $1 AND NOT t.tgisinternal AND NOT c.relispartition
ORDER BY c.relname, t.tgname
