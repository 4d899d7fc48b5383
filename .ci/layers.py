#!/usr/bin/env python3
"""The module layering of src/: no module imports a later pipeline stage,
and no two modules import each other, directly or through others.

Reads every `crate::`, `super::` and `self::` path in src/**/*.rs (code
only: comments and `#[cfg(test)]` modules are skipped), resolves each to the
file module it names, and checks

1. stage order: a module may use its own stage and earlier ones
   (STAGES below, which mirrors the stage table in src/lib.rs);
2. cycles: a use of `a::b::x` from `a::c::y` is an edge between the
   siblings `a::b` ← `a::c` (under their nearest common parent), and the
   sibling graph of every module must be acyclic. A module and its own
   submodules may use each other: that is how Rust nests files.

Exit 0 when clean, 1 with one line per problem otherwise. Python 3 stdlib.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"

# Earliest first. A top-level module not listed is a command (top).
STAGES = [
    ("foundation", {"cores", "span", "source", "suggest", "quote", "digest", "diagnostic", "rules", "pg"}),
    ("parse", {"ast", "parse"}),
    ("lower", {"lower", "ir", "names"}),
    ("check", {"check"}),
    ("plan", {"plan"}),
    ("lint", {"lint"}),
    ("render", {"render"}),
    ("emit", {"emit", "drizzle", "write"}),
]
TOP = len(STAGES)


def stage_of(module):
    if module == "":
        # The crate root's `compile` runs load → check and hands on a
        # `Compilation`: the check stage's driver.
        return 3
    top = module.split("::")[0]
    for i, (_, names) in enumerate(STAGES):
        if top in names:
            return i
    return TOP


def stage_name(i):
    return STAGES[i][0] if i < TOP else "commands"


def modules():
    """Module path ("plan::recipe", "" for lib.rs) → file."""
    out = {}
    for f in sorted(ROOT.rglob("*.rs")):
        rel = f.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts == ["main"] or parts[0] == "bin":
            continue  # the binary uses the library as `sluice::`
        if parts == ["lib"]:
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        out["::".join(parts)] = f
    return out


def code_of(text):
    """The file without comments, string contents and test modules."""
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def paths_in(code):
    """Every path starting with crate/super/self, brace groups expanded."""
    out = []
    for m in re.finditer(r"\b(crate|super|self)((?:::(?:%s|\{))+)" % IDENT, code):
        start = m.start()
        i = start
        out.extend(expand(code, i))
    return out


def expand(code, i):
    """Paths of the `use` tree starting at code[i]."""
    m = re.match(r"((?:%s)(?:::%s)*)" % (IDENT, IDENT), code[i:])
    prefix = m.group(1).split("::")
    j = i + m.end()
    if code[j : j + 3] != "::{":
        return [prefix]
    j += 3
    out, depth, item = [], 1, ""
    while j < len(code) and depth:
        c = code[j]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if depth == 1 and c == ",":
            out.append(item)
            item = ""
        elif depth >= 1 and not (depth == 1 and c == "{"):
            item += c
        j += 1
    out.append(item)
    paths = []
    for it in out:
        it = it.strip()
        seg = re.match(r"(%s)" % IDENT, it)
        if seg and seg.group(1) not in ("self",):
            paths.append(prefix + [seg.group(1)])
        else:
            paths.append(prefix)
    return paths


def resolve(path, here, mods):
    """The file module a path names, or None (an external item)."""
    base = here.split("::") if here else []
    segs = list(path)
    if segs[0] == "crate":
        cur = []
    elif segs[0] == "self":
        cur = base[:]
    else:
        cur = base[:]
        while segs and segs[0] == "super":
            cur = cur[:-1]
            segs = segs[1:]
        segs = ["super"] + segs  # keep the shape below
    segs = segs[1:]
    best = "::".join(cur)
    for s in segs:
        cand = "::".join(cur + [s])
        if cand in mods:
            cur.append(s)
            best = cand
        else:
            break
    return best


def related(a, b):
    """Whether one module is the other or contains it (the crate root
    holds the pipeline driver: using it is a use of the top stage)."""
    if a == "" or b == "":
        return a == b
    pa, pb = a.split("::"), b.split("::")
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def siblings(a, b):
    """The children of the nearest common parent that hold `a` and `b`."""
    pa, pb = a.split("::") if a else [], b.split("::") if b else []
    n = 0
    while n < min(len(pa), len(pb)) and pa[n] == pb[n]:
        n += 1
    return "::".join(pa[: n + 1]) or "<root>", "::".join(pb[: n + 1]) or "<root>"


def sccs(nodes, edges):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    mods = modules()
    problems = []
    edges = {}
    for here, f in mods.items():
        code = code_of(f.read_text(encoding="utf-8"))
        for path in paths_in(code):
            there = resolve(path, here, mods)
            if there is None or related(here, there):
                continue
            a, b = siblings(here, there)
            edges.setdefault(a, set()).add(b)
            sa, sb = stage_of(here), stage_of(there)
            if sb > sa:
                problems.append(
                    "%s: `%s` (stage %s) uses `%s` (later stage %s)"
                    % (f.relative_to(ROOT.parent), here, stage_name(sa),
                       "::".join(path), stage_name(sb))
                )
    nodes = set(edges) | {b for v in edges.values() for b in v}
    for comp in sccs(nodes, edges):
        problems.append("module cycle: " + " <-> ".join(comp))
    for p in sorted(set(problems)):
        print(p)
    if problems:
        print("layers: %d problem(s); the stage order is in .ci/layers.py and src/lib.rs" % len(set(problems)))
        return 1
    print("layers: %d modules, no later-stage imports, no cycles" % len(mods))
    return 0


if __name__ == "__main__":
    sys.exit(main())
