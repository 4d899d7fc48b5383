-- Schema $1: its owner.
SELECT pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner
FROM pg_catalog.pg_namespace n
WHERE n.nspname = $1
