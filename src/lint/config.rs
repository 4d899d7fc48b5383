//! Lint settings for `sluice lint`: rule levels, excluded paths, the target
//! version and workspace names, from the workspace (`--workspace`, or
//! `schemas/` when it exists) and a `--config` file.
//!
//! A config file is sluice syntax holding `lint { … }` blocks, exactly as
//! in `workspace.sluice`: `rule-id = error|warning|off` and `exclude
//! "glob"`. Its problems are reported like any other diagnostic. The
//! settings, `--rule` and `--exclude-rule` then decide which findings are
//! kept, and at which level ([`keeps`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::ast::Item;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ir::Level;
use crate::rules::{self, NotARule};
use crate::source::{FileKind, SourceFile, Sources};

use super::PgVersion;

/// Settings gathered before any file is linted.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub levels: BTreeMap<String, Level>,
    pub excludes: Vec<String>,
    pub pg: Option<PgVersion>,
    pub runtime_roles: Vec<String>,
    pub tenant_column: Option<String>,
}

/// Read the workspace's settings; `Err` when it cannot be loaded.
pub fn from_workspace(root: &Path, settings: &mut Settings) -> Result<(), String> {
    let c = crate::compile(root).map_err(|e| e.to_string())?;
    let ws = &c.workspace;
    settings.pg = Some(PgVersion::major(ws.settings.postgres));
    settings.runtime_roles = ws
        .roles
        .iter()
        .filter(|r| r.runtime)
        .map(|r| r.name.clone())
        .collect();
    if let Some(p) = ws.projects.first() {
        settings.levels.extend(p.lint.workspace_levels.clone());
        settings.tenant_column = p.tenancy.as_ref().map(|t| t.column.clone());
    }
    for p in &ws.projects {
        for e in &p.lint.excludes {
            if !settings.excludes.contains(e) {
                settings.excludes.push(e.clone());
            }
        }
    }
    Ok(())
}

/// Read a `--config` file into `settings`; its problems go to `diags`.
pub fn from_file(
    path: &Path,
    sources: &mut Sources,
    settings: &mut Settings,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.to_string_lossy().replace('\\', "/");
    let id = sources.add(SourceFile::new(name, text, FileKind::Workspace));
    let (file, parse_diags) = crate::parse::parse_file(id, sources.get(id));
    diags.extend(parse_diags);
    for item in &file.items {
        let Item::Lint(decl) = item else {
            let d = Diagnostic::error(
                Code::MisplacedDeclaration,
                "a lint config file holds only `lint { … }` blocks",
            )
            .help("write `lint { rule-id = error|warning|off  exclude \"glob\" }`");
            diags.push(d);
            continue;
        };
        for (rule, level) in &decl.levels {
            match rules::lookup(&rule.name) {
                Ok(_) => {}
                Err(e) => {
                    let why = match e {
                        NotARule::Unknown => "is not a rule",
                        NotARule::Fixed => "reports invalid input and cannot be configured",
                    };
                    let mut d =
                        Diagnostic::error(Code::UnknownRule, format!("`{}` {why}", rule.name))
                            .at(rule.span);
                    if let Some(s) = crate::suggest::did_you_mean(&rule.name, rules::all_ids()) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    continue;
                }
            }
            let lvl = match level.name.as_str() {
                "error" => Level::On(Severity::Error),
                "warning" => Level::On(Severity::Warning),
                "off" => Level::Off,
                other => {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("`{other}` is not a rule level"),
                        )
                        .at(level.span)
                        .help("write `error`, `warning` or `off`"),
                    );
                    continue;
                }
            };
            settings.levels.insert(rule.name.clone(), lvl);
        }
        settings
            .excludes
            .extend(decl.excludes.iter().map(|e| e.value.clone()));
    }
    Ok(())
}

/// Apply `--rule`, `--exclude-rule` and the configured levels.
pub fn keeps(d: &mut Diagnostic, settings: &Settings, only: &[Code], skip: &[Code]) -> bool {
    if !d.code.is_configurable() {
        return true;
    }
    if (!only.is_empty() && !only.contains(&d.code)) || skip.contains(&d.code) {
        return false;
    }
    match settings.levels.get(d.code.as_str()) {
        Some(Level::Off) => false,
        Some(Level::On(sev)) => {
            d.severity = *sev;
            true
        }
        None => true,
    }
}

pub fn rule_codes(ids: &[String]) -> Result<Vec<Code>, String> {
    ids.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|id| match id.parse::<Code>() {
            Ok(c) if c.is_configurable() => Ok(c),
            _ => {
                let ids = super::RULES.iter().map(|r| r.code.as_str());
                Err(match crate::suggest::did_you_mean(id, ids) {
                    Some(s) => format!("no rule `{id}`; did you mean `{s}`?"),
                    None => format!("no rule `{id}`; run `sluice explain` for the list"),
                })
            }
        })
        .collect()
}
