#!/bin/sh
# Seed corpora for the fuzz targets, from the bundled workspace:
#   corpus/compile: the whole of schemas/ as one input (`=== path` files),
#                   and each project alone with the workspace file;
#   corpus/lint:    every SQL file `sluice build` emits for schemas/.
# Run from the repository root after `cargo build`: fuzz/seed.sh
set -eu
out=fuzz/corpus
rm -rf "$out" && mkdir -p "$out/compile" "$out/lint"
whole="$out/compile/schemas"
cat schemas/workspace.sluice > "$whole"
for f in $(cd schemas && find . -name '*.sluice' ! -name workspace.sluice | sort); do
  printf '=== %s\n' "${f#./}" >> "$whole"
  cat "schemas/$f" >> "$whole"
done
for p in $(cd schemas && ls -d */ | tr -d /); do
  one="$out/compile/$p"
  cat schemas/workspace.sluice > "$one"
  for f in $(cd schemas && find "$p" -name '*.sluice' | sort); do
    printf '=== %s\n' "$f" >> "$one"
    cat "schemas/$f" >> "$one"
  done
done
tmp=$(mktemp -d)
"${SLUICE:-target/debug/sluice}" build schemas --out "$tmp" > /dev/null
find "$tmp" -name '*.sql' | sort | while read -r f; do
  cp "$f" "$out/lint/$(echo "${f#"$tmp"/}" | tr / _)"
done
rm -rf "$tmp"
