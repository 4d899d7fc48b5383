#!/bin/sh
# Seed corpora for the fuzz targets, from the bundled workspace:
#   <out>/compile: the whole of schemas/ as one input (`=== path` files),
#                  each project alone with the workspace file, each of its
#                  files alone, each project with one migration at a time,
#                  and the workspace file alone, all without comments
#                  (small seeds keep each mutation cheap);
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
