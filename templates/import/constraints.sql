-- Primary keys, uniques, checks, foreign keys and exclusions of the tables
-- of schema $1 (not-null constraints are read with the columns).
SELECT con.conrelid::int8 AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
             ORDER BY k.pos) AS columns,
       f.relname::text AS ref_table,
       fn.nspname::text AS ref_schema,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
             ORDER BY k.pos) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END AS check_expr
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
ORDER BY c.relname, con.oid
