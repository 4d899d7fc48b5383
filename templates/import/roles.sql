-- The roles named in $1 (not the built-in `pg_*` ones nor superusers),
-- with their attributes and comments.
SELECT r.rolname::text AS name, r.rolcanlogin AS login, r.rolconnlimit::int8 AS connection_limit,
       pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment
FROM pg_catalog.pg_roles r
WHERE r.rolname = ANY ($1::text[]) AND r.rolname NOT LIKE 'pg\_%' AND NOT r.rolsuper
ORDER BY r.oid
