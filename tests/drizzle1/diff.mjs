// Compares the schemas two drizzle-kit 1.0 migration folders end in, row by
// row: `node diff.mjs OURS THEIRS` replays each folder's snapshots (a base,
// then diffs) in folder order, as drizzle-kit does, and prints a JSON array
// of differences, empty when drizzle-kit would see the same schema. Rows are matched by kind
// and name; fields are compared after normalising what PostgreSQL rewrites
// in SQL text (case, whitespace, parentheses, quotes, `::type` casts).
// Left out, as in the 0.x comparison: policy, check and view bodies (pull
// reads them back rewritten), index operator classes (pull names the
// default one), roles and privileges (pulled only with a role provider),
// hash partitions (pulled as tables `<parent>_p<N>`) and views (below).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const identity = (r) =>
  `${r.entityType}\0${JSON.stringify(["schema", "table", "name"].filter((f) => typeof r[f] === "string").map((f) => r[f]))}`;

function replay(folder) {
  let rows = [];
  const names = readdirSync(folder)
    .filter((n) => existsSync(join(folder, n, "snapshot.json")))
    .sort();
  for (const n of names) {
    const snap = JSON.parse(readFileSync(join(folder, n, "snapshot.json"), "utf8"));
    if (snap.type !== "diff") {
      rows = [...snap.ddl];
      continue;
    }
    for (const d of snap.deltas) {
      if (d.op === "create") rows.push(d.row);
      else if (d.op === "drop") rows = rows.filter((r) => identity(r) !== d.key);
      else rows = rows.map((r) => (identity(r) === d.key ? { ...r, ...d.set } : r));
    }
  }
  return { ddl: rows };
}

const [ours, theirs] = process.argv.slice(2).map(replay);

const sqlText = (s) =>
  s === undefined || s === null
    ? s
    : String(s)
        .toLowerCase()
        .replace(/::[a-z_ "]+(\[\])?/g, "")
        .replace(/["()\s]/g, "");

// Views too: sluice's 1.x snapshots leave them out, as drizzle-kit 1.0 does
// for the views the generated schema.ts declares `.existing()`.
const skipKinds = new Set(["roles", "privileges", "views"]);
const key = (r) => [r.entityType, r.schema, r.table, r.name].filter((x) => x !== undefined).join(" ");

function shape(r) {
  const { entityType, ...rest } = r;
  switch (entityType) {
    case "columns":
      return { ...rest, default: sqlText(rest.default), generated: rest.generated && sqlText(rest.generated.as) };
    case "indexes":
      return {
        ...rest,
        nameExplicit: undefined,
        columns: rest.columns.map((c) => [sqlText(c.value), c.isExpression, c.asc, c.nullsFirst]),
        where: rest.where !== null,
      };
    case "checks":
      return { name: rest.name };
    case "policies":
      return { ...rest, using: undefined, withCheck: undefined, roles: [...rest.roles].sort() };
    case "views":
      return { name: rest.name, schema: rest.schema, materialized: rest.materialized };
    case "fks":
    case "pks":
    case "uniques":
      return { ...rest, nameExplicit: undefined };
    default:
      return rest;
  }
}

function rows(snap) {
  const out = new Map();
  for (const r of snap.ddl) {
    if (skipKinds.has(r.entityType)) continue;
    out.set(key(r), r);
  }
  return out;
}

const a = rows(ours);
const b = rows(theirs);
// Hash partitions: pulled as tables `<parent>_p<N>` of their own, with
// their columns, keys and indexes; sluice's snapshot has the parent alone.
const partitionOf = (schema, name) => {
  const parent = name && name.replace(/_p[0-9]+$/, "");
  return parent !== name && a.has(`tables ${schema} ${parent}`) ? parent : null;
};
for (const [k, r] of [...b.entries()]) {
  if (partitionOf(r.schema, r.entityType === "tables" ? r.name : r.table)) b.delete(k);
}
// Key order differs between writers: compare with sorted keys.
const canon = (v) =>
  Array.isArray(v)
    ? v.map(canon)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => [k, canon(v[k])]))
      : v;
const out = [];
for (const k of new Set([...a.keys(), ...b.keys()])) {
  if (!a.has(k)) out.push(`${k}: only in the database`);
  else if (!b.has(k)) out.push(`${k}: only in sluice's snapshot`);
  else {
    const [x, y] = [JSON.stringify(canon(shape(a.get(k)))), JSON.stringify(canon(shape(b.get(k))))];
    if (x !== y) out.push(`${k}: sluice ${x}, database ${y}`);
  }
}
console.log(JSON.stringify(out.sort(), null, 2));
