//! Suppression comments.
//!
//! `-- sluice-ignore rule-id[, rule-id]: reason` silences those rules on the
//! next statement; `-- sluice-ignore-file rule-id: reason` on the whole
//! file. The reason is required (`ignore-without-reason`) and every id must
//! name a rule (`unknown-rule`, with a suggestion): a typo must not pass
//! silently as a silenced rule.

use std::ops::Range;

use super::split::Comment;
use super::Finding;
use crate::diagnostic::Code;

struct Ignore {
    codes: Vec<Code>,
    /// Applies from this offset to the next statement only, or to the file.
    after: usize,
    file_wide: bool,
}

/// Drop the findings that comments silence; add the comments' own problems.
/// `starts` are the start offsets of every statement of the file, sorted.
pub fn apply(starts: &[usize], comments: &[Comment], found: Vec<Finding>) -> Vec<Finding> {
    let mut ignores = Vec::new();
    let mut problems = Vec::new();
    for c in comments {
        if let Some(ig) = parse(c, &mut problems) {
            ignores.push(ig);
        }
    }
    if ignores.is_empty() {
        return found.into_iter().chain(problems).collect();
    }
    found
        .into_iter()
        .filter(|f| !ignores.iter().any(|ig| silences(ig, f, starts)))
        .chain(problems)
        .collect()
}

fn silences(ig: &Ignore, f: &Finding, starts: &[usize]) -> bool {
    if !ig.codes.contains(&f.code) {
        return false;
    }
    if ig.file_wide {
        return true;
    }
    // The first statement starting after the comment is its target.
    starts.iter().find(|&&s| s >= ig.after) == Some(&f.statement.start)
}

fn parse(c: &Comment, problems: &mut Vec<Finding>) -> Option<Ignore> {
    let body = c.text.trim();
    let (rest, file_wide) = if let Some(r) = body.strip_prefix("sluice-ignore-file") {
        (r, true)
    } else if let Some(r) = body.strip_prefix("sluice-ignore") {
        (r, false)
    } else {
        return None;
    };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (ids, reason) = match rest.split_once(':') {
        Some((ids, reason)) => (ids, reason.trim()),
        None => (rest, ""),
    };
    let at = c.range.clone();
    if reason.is_empty() {
        problems.push(problem(
            Code::IgnoreWithoutReason,
            &at,
            "this `sluice-ignore` comment gives no reason".into(),
            "write the reason after a colon: `-- sluice-ignore rule-id: why this is safe here`"
                .into(),
        ));
    }
    let mut codes = Vec::new();
    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match id.parse::<Code>() {
            Ok(code) if is_ignorable(code) => codes.push(code),
            _ => problems.push(unknown(id, &at)),
        }
    }
    if codes.is_empty() && !ids.trim().is_empty() {
        return None;
    }
    if ids.trim().is_empty() {
        problems.push(problem(
            Code::UnknownRule,
            &at,
            "this `sluice-ignore` comment names no rule".into(),
            "name the rule to silence: `-- sluice-ignore rule-id: reason`".into(),
        ));
        return None;
    }
    Some(Ignore {
        codes,
        after: c.range.end,
        file_wide,
    })
}

fn is_ignorable(code: Code) -> bool {
    code.is_safety_rule() || code == Code::UnparsedStatement
}

fn unknown(id: &str, at: &Range<usize>) -> Finding {
    let ids = crate::lint::RULES
        .iter()
        .map(|r| r.code.as_str())
        .chain([Code::UnparsedStatement.as_str()]);
    let help = match crate::suggest::did_you_mean(id, ids) {
        Some(s) => format!("did you mean `{s}`? `sluice explain` lists every rule"),
        None => "`sluice explain` lists every rule".to_string(),
    };
    problem(
        Code::UnknownRule,
        at,
        format!("`{id}` in this `sluice-ignore` comment is not a lint rule"),
        help,
    )
}

fn problem(code: Code, at: &Range<usize>, message: String, help: String) -> Finding {
    Finding {
        code,
        statement: at.clone(),
        at: at.clone(),
        message,
        help,
    }
}
