#!/usr/bin/env python3
"""No SQL text assembled in Rust in the stages that emit it.

Every statement sluice emits, and every comment written around them
(statement labels, file headers), comes from a template under `templates/`;
Rust decides and hands data to the template. This check reads
src/plan/**, src/emit*.rs and src/drizzle/** (code only: comments and
`#[cfg(test)]` modules are skipped) and lists every `format!`, `write!`,
`writeln!` and `push_str(` whose string literals hold an SQL keyword as a
whole word (case-insensitive), or whose arguments quote a name or string
(`ident(`, `literal(`, `dollar_quote(`): both are SQL assembled by hand.

Text that is never emitted does not count, recognised by the call it is an
argument of (ALLOWED_CALLEES, ALLOWED_PATHS below) or the field or local it
initialises (ALLOWED_FIELDS, ALLOWED_BINDINGS): diagnostic messages
(`.help(…)`, `.label(…)`, `Diagnostic::of(…)`, an error's `message`) and
the planner's dependency keys (`Key::Other(…)`). The reasons a rollback
refuses (`irreversible`) and a contract guard's description of its script
are messages too: prose a person reads in a comment or an error, quoted by
the template that writes them. A statement's label (`CreateTable notes`)
is a tag and a name, no SQL; a label that names SQL is written by a
template under `labels/`. Words of paths (`rollback/…`), methods (`.on(`)
and `{placeholders}` are not keywords. schema.ts is TypeScript (SKIP).

Exit 0 when clean, 1 with one line per offender otherwise. Python 3 stdlib.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPES = ["src/plan", "src/plan.rs", "src/emit.rs", "src/emit", "src/drizzle", "src/drizzle.rs"]

# TypeScript, not SQL: schema.ts is written by its own emitter.
SKIP = ["src/drizzle/schema_ts", "src/drizzle/schema_ts.rs"]

KEYWORDS = """
CREATE ALTER DROP TABLE INDEX GRANT REVOKE SELECT INSERT UPDATE DELETE
FROM WHERE ON TO FUNCTION POLICY VIEW SET TYPE TRIGGER COLUMN CONSTRAINT
SCHEMA SEQUENCE EXTENSION ROLLBACK TRUNCATE EXECUTE REFERENCES INTO
""".split()
# A whole word, not part of a path (`rollback/…`), a method (`.on(`) or a
# `{placeholder}` (those are cut before matching).
KEYWORD = re.compile(r"(?<![/.])\b(%s)\b(?![/(.])" % "|".join(KEYWORDS), re.I)
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
QUOTING = re.compile(r"\b(ident|literal|dollar_quote)\(")
MACRO = re.compile(r"\b(format|write|writeln)!\s*\(|\.push_str\(")

# Calls whose argument is a diagnostic or an internal key, never emitted.
ALLOWED_CALLEES = {
    "help", "label", "note", "with_help", "error", "warning",
    "Other",  # Key::Other: the planner's dependency keys
    "panic", "expect", "unreachable", "bail",
}
# Calls by path: a diagnostic's constructor; the reasons a rollback gives
# for refusing (messages, shown in its header comment and raised by it).
ALLOWED_PATHS = ("Diagnostic::of", "message.push_str", "irreversible.push", ".guard")
# Struct fields and local bindings that hold a message.
ALLOWED_FIELDS = {"message"}
ALLOWED_BINDINGS = {"help", "message"}


def code_of(text):
    """The file with comments blanked and test modules cut, offsets kept."""
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text[i] == '"' or (text[i] == "r" and re.match(r'r#*"', text[i:]) and not re.match(r"\w", text[i - 1 : i] or " ")):
            j = literal_end(text, i)
            out.append(text[i:j])
            i = j
        elif text[i] == "'" and re.match(r"'(\\.|[^\\'])'", text[i:]):
            m = re.match(r"'(\\.|[^\\'])'", text[i:])
            out.append(" " * m.end())
            i += m.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def literal_end(text, i):
    """End offset of the string literal starting at text[i]."""
    if text[i] == "r":
        m = re.match(r'r(#*)"', text[i:])
        close = '"' + m.group(1)
        j = text.find(close, i + m.end())
        return len(text) if j < 0 else j + len(close)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    return j


def literals(args):
    """The contents of the string literals in `args`."""
    out, i = [], 0
    while i < len(args):
        if args[i] == '"' or (args[i] == "r" and re.match(r'r#*"', args[i:]) and not re.match(r"\w", args[i - 1 : i] or " ")):
            j = literal_end(args, i)
            body = args[i:j]
            text = body[body.index('"') + 1 : body.rindex('"')]
            out.append(PLACEHOLDER.sub(" ", text.replace("{{", "").replace("}}", "")))
            i = j
        else:
            i += 1
    return out


def arguments(code, open_paren):
    """The text between the paren at `open_paren` and its match."""
    depth, i = 0, open_paren
    while i < len(code):
        c = code[i]
        if c == '"' or (c == "r" and re.match(r'r#*"', code[i:]) and not re.match(r"\w", code[i - 1 : i] or " ")):
            i = literal_end(code, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return code[open_paren + 1 : i]
        i += 1
    return code[open_paren + 1 :]


def word_char(c):
    return c.isalnum() or c == "_"


def callee(code, paren):
    """The dotted path called by the `(` at `paren`, whitespace dropped.

    Scanned backwards from `paren`: a regular expression anchored at the
    end of `code[:paren]` tries every start before it, which made the
    check quadratic in the file's length."""
    i = paren
    while i > 0 and code[i - 1].isspace():
        i -= 1
    if i > 0 and code[i - 1] == "!":
        i -= 1
    j = i
    while j > 0 and (word_char(code[j - 1]) or code[j - 1] in ":." or code[j - 1].isspace()):
        j -= 1
    return re.sub(r"\s+", "", code[j:i])


def field_before(code, start):
    """The field name a `name:` just before `start` initialises, if any."""
    head = code[:start].rstrip()
    if not head.endswith(":") or head.endswith("::"):
        return None
    k = len(head) - 1
    while k > 0 and head[k - 1].isspace():
        k -= 1
    j = k
    while j > 0 and word_char(head[j - 1]):
        j -= 1
    return head[j:k] or None


def enclosing(code, start):
    """What the expression at `start` sits in, innermost first, up to its
    function: ("call", path), ("field", name) or ("let", name)."""
    out = []
    field = field_before(code, start)
    if field:
        out.append(("field", field))
    depth, i = 0, start - 1
    while i >= 0:
        c = code[i]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c == "(":
                    out.append(("call", callee(code, i)))
                elif c == "{":
                    let = re.match(r"\s*let\s+(?:mut\s+)?(\w+)", code[i + 1 : start])
                    if let:
                        out.append(("let", let.group(1)))
                    head = code[max(0, i - 200) : i]
                    if re.search(r"\bfn\b[^;{}]*$", head):
                        break
            else:
                depth -= 1
        elif c == ";" and depth == 0:
            let = re.match(r"\s*let\s+(?:mut\s+)?(\w+)", code[i + 1 : start])
            if let:
                out.append(("let", let.group(1)))
            # Earlier statements of this block are siblings: skip to its
            # opening brace.
            j, d = i - 1, 0
            while j >= 0 and not (code[j] in "([{" and d == 0):
                if code[j] in ")]}":
                    d += 1
                elif code[j] in "([{":
                    d -= 1
                j -= 1
            start = j + 1
            i = j + 1
        i -= 1
    return out


def allowed(chain):
    for kind, name in chain:
        if kind == "call":
            last = name.rsplit(".", 1)[-1].rsplit("::", 1)[-1]
            if last in ALLOWED_CALLEES or any(name.endswith(s) for s in ALLOWED_PATHS):
                return True
        elif kind == "field" and name in ALLOWED_FIELDS:
            return True
        elif kind == "let" and name in ALLOWED_BINDINGS:
            return True
    return False


def offenders(path):
    text = path.read_text(encoding="utf-8")
    for line, why, snippet in scan(text):
        yield "%s:%d: %s: %s" % (path.relative_to(ROOT), line, why, snippet)


def scan(text):
    """(line, why, the line's text) of every offender in a Rust file."""
    code = code_of(text)
    for m in MACRO.finditer(code):
        args = arguments(code, m.end() - 1)
        words = sorted({w.upper() for lit in literals(args) for w in KEYWORD.findall(lit)})
        quotes = sorted(set(QUOTING.findall(code_of_args(args))))
        if not words and not quotes:
            continue
        if m.group(0).startswith("."):
            receiver = callee(code, m.end() - 1)
            if any(receiver.endswith("." + f + ".push_str") for f in ALLOWED_FIELDS):
                continue
            chain = enclosing(code, start_of_receiver(code, m.start()))
        else:
            chain = enclosing(code, m.start())
        if allowed(chain):
            continue
        line = code.count("\n", 0, m.start()) + 1
        why = []
        if words:
            why.append("SQL keyword(s) " + ", ".join(words))
        if quotes:
            why.append("quoting by " + ", ".join(q + "()" for q in quotes))
        snippet = " ".join(text.splitlines()[line - 1].split())
        yield line, "; ".join(why), snippet


# What the check must report, and must let pass: run before every check, so
# a change to it that stops it finding anything fails at once.
MUST_REPORT = """
fn a(t: &str) -> Stmt { Stmt::new("grant", format!("Grant TABLE {t} to app"), (), k) }
fn b(s: &str, n: &str) -> String { format!("{}.{}", ident(s), ident(n)) }
fn c(out: &mut String) { out.push_str("DROP INDEX x;"); }
"""
MUST_PASS = """
fn d(t: &str) -> Key { Key::Other(format!("grant {t} on app")) }
fn e(p: &Project) -> Diagnostic { Diagnostic::of(Code::X, format!("drop table {}", p.name)).help(format!("set {} to x", p.name)) }
fn f(tag: &str) -> String { format!("rollback/{tag}.sql") }
fn g(name: &str) -> String { format!("CreateTable {name}") }
// format!("DROP TABLE {x}") in a comment
"""


def self_test():
    found = [line for line, _, _ in scan(MUST_REPORT)]
    assert found == [2, 3, 4], "sql_in_rust self-test: expected lines 2, 3, 4 reported, got %s" % found
    passed = list(scan(MUST_PASS))
    assert not passed, "sql_in_rust self-test: reported what it must not: %s" % passed


def code_of_args(args):
    """The arguments without their string literals."""
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', args)


def start_of_receiver(code, dot):
    """Where `x.y.push_str(` starts, so its context is the statement's."""
    i = dot
    while i > 0 and re.match(r"[\w.&*]", code[i - 1]):
        i -= 1
    return i


def files():
    for scope in SCOPES:
        p = ROOT / scope
        if p.is_file() and not skipped(p):
            yield p
        elif p.is_dir():
            yield from (f for f in sorted(p.rglob("*.rs")) if not skipped(f))


def skipped(f):
    rel = str(f.relative_to(ROOT))
    return any(rel == s or rel.startswith(s + "/") for s in SKIP)


def main():
    self_test()
    found = [o for f in files() for o in offenders(f)]
    for o in found:
        print(o)
    if found:
        print(
            "sql_in_rust: %d place(s) assemble SQL in Rust; render it from a template "
            "under templates/ (Rust decides, templates format)" % len(found)
        )
        return 1
    print("sql_in_rust: no SQL assembled in Rust in src/plan, src/emit*, src/drizzle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
