-- Types and functions of schema $1 print unqualified.
SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1), true)
