// Compares two drizzle-kit snapshots object by object, in the terms
// drizzle-kit's differ uses (names, column types, nullability, defaults,
// index columns and methods, foreign keys, uniques, checks, policies, RLS,
// enums, views): `node diff.mjs OURS.json THEIRS.json` prints a JSON array
// of differences, empty when drizzle-kit would see the same schema.
// Expression defaults are compared after normalising what PostgreSQL
// rewrites (case, whitespace, parentheses, quotes, `::type` casts); other
// SQL bodies are not compared (see below).
import { readFileSync } from "node:fs";

const [ours, theirs] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")));
const out = [];

const sqlText = (s) =>
  s === undefined || s === null
    ? s
    : String(s)
        .toLowerCase()
        .replace(/::[a-z_ ]+(\[\])?/g, "")
        .replace(/["()\s]/g, "");

function keys(what, a = {}, b = {}, each) {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(k in a)) out.push(`${what} ${k}: only in the database`);
    else if (!(k in b)) out.push(`${what} ${k}: only in sluice's snapshot`);
    else if (each) each(k, a[k], b[k]);
  }
}

function same(what, a, b) {
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${what}: sluice ${JSON.stringify(a)}, database ${JSON.stringify(b)}`);
  }
}

const column = (c) => ({
  type: c.type,
  typeSchema: c.typeSchema,
  primaryKey: c.primaryKey,
  notNull: c.notNull,
  default: typeof c.default === "string" ? sqlText(c.default) : c.default,
  generated: c.generated && sqlText(c.generated.as),
  identity: c.identity && c.identity.type,
});
// Operator classes are left out: a pulled snapshot names the default one
// (`uuid_ops`), a schema written in TypeScript does not.
const index = (i) => ({
  columns: i.columns.map((c) => [sqlText(c.expression), c.asc, c.nulls]),
  isUnique: i.isUnique,
  method: i.method,
  where: i.where !== undefined,
});
const unique = (u) => ({ columns: [...u.columns].sort(), nullsNotDistinct: u.nullsNotDistinct });
// drizzle-kit pull lists each side of a composite foreign key in its
// table's column order, so the pairs of a tenant-scoped key
// (`(org_id, x) -> t(org_id, id)`) come back as `(org_id, x) -> t(id,
// org_id)`; each side is compared as a set.
const fk = (f) => ({
  ...f,
  columnsFrom: [...f.columnsFrom].sort(),
  columnsTo: [...f.columnsTo].sort(),
  onDelete: f.onDelete ?? "no action",
  onUpdate: f.onUpdate ?? "no action",
});
// Policy bodies are left out: drizzle-kit pull does not read them back.
const policy = (p) => ({
  as: p.as ?? "PERMISSIVE",
  for: p.for ?? "ALL",
  to: [...(p.to ?? ["public"])].sort(),
});

// drizzle-kit pull leaves out a unique index that a foreign key references
// (as it leaves out the indexes of primary keys and unique constraints):
// the `(org_id, id)` key sluice gives the target of a tenant-scoped
// reference.
for (const t of Object.values(ours.tables)) {
  for (const [k, i] of Object.entries(t.indexes ?? {})) {
    const cols = i.columns.map((c) => c.expression).sort().join(",");
    const referenced = Object.values(ours.tables).some((o) =>
      Object.values(o.foreignKeys ?? {}).some(
        (f) => f.tableTo === t.name && [...f.columnsTo].sort().join(",") === cols,
      ),
    );
    if (i.isUnique && referenced && !(k in (theirs.tables[`${t.schema || "public"}.${t.name}`]?.indexes ?? {}))) {
      delete t.indexes[k];
    }
  }
}

// Not compared, because a schema written in TypeScript has them the way
// sluice's snapshot does and only pulling from the database differs:
// hash partitions (pulled as tables `<parent>_p<N>`, with the parent left
// out), views of extensions (`pg_stat_statements`) and roles (pulled only
// when a role provider is configured).
const partitioned = new Set();
for (const k of Object.keys(theirs.tables)) {
  const parent = k.replace(/_p[0-9]+$/, "");
  if (parent !== k && parent in ours.tables && !(parent in theirs.tables)) {
    delete theirs.tables[k];
    partitioned.add(parent);
  }
}
for (const k of partitioned) delete ours.tables[k];
for (const k of Object.keys(theirs.views ?? {})) {
  if (k.split(".").pop().startsWith("pg_")) delete theirs.views[k];
}

keys("table", ours.tables, theirs.tables, (t, a, b) => {
  keys(`column ${t}.`, a.columns, b.columns, (c, x, y) => same(`column ${t}.${c}`, column(x), column(y)));
  keys(`index ${t}:`, a.indexes, b.indexes, (i, x, y) => same(`index ${i}`, index(x), index(y)));
  keys(`foreign key ${t}:`, a.foreignKeys, b.foreignKeys, (i, x, y) => same(`foreign key ${i}`, fk(x), fk(y)));
  keys(`primary key ${t}:`, a.compositePrimaryKeys, b.compositePrimaryKeys, (i, x, y) => same(`primary key ${i}`, x, y));
  keys(`unique ${t}:`, a.uniqueConstraints, b.uniqueConstraints, (i, x, y) => same(`unique ${i}`, unique(x), unique(y)));
  // Check bodies by name only: PostgreSQL rewrites them (BETWEEN, IN).
  keys(`check ${t}:`, a.checkConstraints, b.checkConstraints);
  keys(`policy ${t}:`, a.policies, b.policies, (i, x, y) => same(`policy ${t}.${i}`, policy(x), policy(y)));
  same(`isRLSEnabled ${t}`, a.isRLSEnabled, b.isRLSEnabled);
});
keys("enum", ours.enums, theirs.enums, (e, a, b) => same(`enum ${e}`, a.values, b.values));
keys("view", ours.views, theirs.views, (v, a, b) => same(`view ${v}`, a.materialized, b.materialized));
keys("schema", ours.schemas, theirs.schemas);
console.log(JSON.stringify(out, null, 2));
