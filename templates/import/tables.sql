-- The tables of schema $1 (partitions are read with their parent), with
-- row-level security, owner, comment and partition key.
SELECT c.oid::int8 AS oid,
       c.relname::text AS name,
       c.relkind::text AS kind,
       c.relrowsecurity AS rls,
       c.relforcerowsecurity AS force_rls,
       pg_catalog.pg_get_userbyid(c.relowner)::text AS owner,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.oid
