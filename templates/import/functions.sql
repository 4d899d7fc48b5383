-- The functions of schema $1 that no extension owns.
SELECT p.proname::text AS name,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_result(p.oid) AS result,
       l.lanname::text AS language,
       p.provolatile::text AS volatility,
       p.prosecdef AS security_definer,
       coalesce(p.proconfig, ARRAY[]::text[]) AS config,
       p.prosrc AS body,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       pg_catalog.pg_get_functiondef(p.oid) AS definition,
       p.prokind::text AS kind
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE n.nspname = $1 AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY p.oid
