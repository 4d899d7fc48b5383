-- Default privileges that apply in schema $1 (or everywhere): the role
-- that creates the objects, the kind of object (r tables, S sequences,
-- f functions), the grantee and the privilege, and whether the entry is
-- of this schema (else it applies in every schema).
SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text AS creator,
       d.defaclobjtype::text AS object_kind,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       lower(a.privilege_type) AS privilege,
       d.defaclnamespace <> 0 AS in_schema
FROM pg_catalog.pg_default_acl d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) AS a
WHERE n.nspname = $1 OR d.defaclnamespace = 0
ORDER BY 1, 2, 3, 4
