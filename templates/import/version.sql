-- The major version of the server.
SELECT pg_catalog.current_setting('server_version_num')::int4 / 10000
