-- Privileges granted to others than the owner: on the tables and views
-- (kind `table`), on some of their columns (`column`, once per table),
-- the functions (`function`) and schema $1 itself (`schema`).
SELECT 'table' AS kind, c.relname::text AS object,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       lower(a.privilege_type) AS privilege
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
  AND a.grantee <> c.relowner
UNION ALL
SELECT DISTINCT 'column', c.relname::text,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
       lower(a.privilege_type)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped
CROSS JOIN LATERAL pg_catalog.aclexplode(att.attacl) AS a
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
  AND a.grantee <> c.relowner
UNION ALL
SELECT 'function', p.proname::text,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
       lower(a.privilege_type)
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) AS a
WHERE n.nspname = $1 AND a.grantee <> p.proowner
UNION ALL
SELECT 'schema', n.nspname::text,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
       lower(a.privilege_type)
FROM pg_catalog.pg_namespace n
CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) AS a
WHERE n.nspname = $1 AND a.grantee <> n.nspowner
ORDER BY 1, 2, 3, 4
