-- The indexes of the tables of schema $1 that no constraint owns: key
-- elements, their options (bit 1 desc, bit 2 nulls first), non-default
-- operator classes, included columns and predicate.
SELECT i.indrelid::int8 AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k) AS keys,
       ARRAY(SELECT i.indoption[k - 1]::int4
             FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k) AS options,
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
             FROM generate_series(1, i.indnkeyatts::int) AS k
             JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k - 1] ORDER BY k) AS opclasses,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(i.indnkeyatts::int + 1, i.indnatts::int) AS k ORDER BY k) AS include,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY c.relname, ic.oid
