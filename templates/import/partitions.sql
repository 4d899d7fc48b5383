-- The partitions of the partitioned tables of schema $1.
SELECT p.relname::text AS parent, c.relname::text AS name,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
WHERE n.nspname = $1 AND p.relkind = 'p' AND c.relkind IN ('r', 'p')
ORDER BY p.relname, c.relname
