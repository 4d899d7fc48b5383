-- The rewrite rules of schema $1 that are not the bodies of views.
SELECT c.relname::text AS table_name, r.rulename::text AS name,
       pg_catalog.pg_get_ruledef(r.oid) AS definition
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND r.rulename <> '_RETURN'
ORDER BY c.relname, r.rulename
