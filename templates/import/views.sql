-- The views and materialized views of schema $1.
SELECT c.relname::text AS name,
       c.relkind = 'm' AS materialized,
       coalesce('security_invoker=true' = ANY (c.reloptions)
             OR 'security_invoker=on' = ANY (c.reloptions), false) AS security_invoker,
       pg_catalog.pg_get_viewdef(c.oid, true) AS body,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       pg_catalog.pg_get_userbyid(c.relowner)::text AS owner
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.oid
