#!/bin/sh
# Seed corpora for the fuzz targets, from the bundled workspace:
#   <out>/compile: the whole of schemas/ as one input (`=== path` files),
#                  each project alone with the workspace file, each of its
#                  files alone, each project with one migration at a time,
#                  and the workspace file alone, all without comments
#                  (small seeds keep each mutation cheap); and every
#                  fixture of tests/fixtures/{ok,phases,deploy,history,
#                  replication} over the base workspace the tests give it
#                  (tests/it/fixture.rs), so the steps and options the
#                  bundled workspace does not use are fuzzed too;
#   <out>/lint:    every SQL file `sluice build` emits for schemas/, and each
#                  statement of them alone (split on the drizzle breakpoint).
# Run from the repository root after `cargo build`:
#   fuzz/seed.sh [out]      (out defaults to target/fuzz-corpus)
set -eu
out=${1:-target/fuzz-corpus}
rm -rf "$out/compile" "$out/lint" && mkdir -p "$out/compile" "$out/lint"
ws=schemas/workspace.sluice
# strip <file>: the file without its comments and blank lines (the seeds
# stay small, and so does every mutation of them).
strip() {
  grep -v '^[[:space:]]*//' "$1" | sed -E 's/[[:space:]]+\/\/.*$//' | grep -v '^[[:space:]]*$'
}
# part <file>: the file as one `=== path` part, without its comments.
part() {
  printf '=== %s\n' "$1"
  strip "schemas/$1"
}
strip "$ws" > "$out/compile/workspace"
{
  cat "$ws"
  for f in $(cd schemas && find . -name '*.sluice' ! -name workspace.sluice | sort); do
    part "${f#./}"
  done
} > "$out/compile/schemas"
for p in $(cd schemas && ls -d */ | tr -d /); do
  decls=$(cd schemas && find "$p" -maxdepth 1 -name '*.sluice' | sort)
  {
    strip "$ws"
    for f in $decls; do part "$f"; done
  } > "$out/compile/$p"
  for f in $decls; do
    {
      strip "$ws"
      part "$f"
    } > "$out/compile/$p-$(basename "$f" .sluice)"
  done
  for m in $(cd schemas && find "$p/migrations" -name '*.sluice' 2>/dev/null | sort); do
    {
      strip "$ws"
      for f in $decls; do part "$f"; done
      part "$m"
    } > "$out/compile/$p-$(basename "$m" .sluice)"
  done
done
python3 - "$out/compile" <<'PY'
# Each fixture as the tests read it: its body is notes/notes.sluice of the
# base workspace, `=== path` parts add or replace files.
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
base = pathlib.Path("tests/it/fixture.rs").read_text()
consts = dict(re.findall(r'const (BASE_\w+): &str = r#"(.*?)"#;', base, re.S))
for kind in ["ok", "phases", "deploy", "history", "replication"]:
    for f in sorted(pathlib.Path("tests/fixtures", kind).glob("*.sluice")):
        text = f.read_text().split("\n", 1)[1]
        files = {"workspace.sluice": consts["BASE_WORKSPACE"],
                 "notes/project.sluice": consts["BASE_PROJECT"]}
        name, body = "notes/notes.sluice", []
        for line in text.splitlines(keepends=True):
            if line.startswith("=== "):
                files[name] = "".join(body)
                name, body = line[4:].strip(), []
            else:
                body.append(line)
        files[name] = "".join(body)
        parts = [files.pop("workspace.sluice")]
        parts += ["=== %s\n%s" % (n, t) for n, t in sorted(files.items()) if t.strip()]
        (out / ("fixture-%s-%s" % (kind, f.stem))).write_text("".join(parts))
PY
tmp=$(mktemp -d)
"${SLUICE:-target/debug/sluice}" build schemas --out "$tmp" > /dev/null
find "$tmp" -name '*.sql' | sort | while read -r f; do
  name=$(echo "${f#"$tmp"/}" | tr / _)
  cp "$f" "$out/lint/$name"
  awk -v pre="$out/lint/$name." '
    /^--> statement-breakpoint$/ { n++; next }
    { print > (pre n) }
  ' n=0 "$f"
done
rm -rf "$tmp"
