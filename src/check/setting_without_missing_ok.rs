//! `setting-without-missing-ok`: `current_setting('app.current_org_id')`
//! raises an error when the setting was never set; in a policy that turns
//! "no tenant" into a failed query instead of "no rows". The two-argument
//! form `current_setting(name, true)` returns NULL instead.

use super::cross_project_reference::for_each_sql;
use super::sql;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn settings_are_read_with_missing_ok(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for pol in t.policies.iter() {
            for pred in std::iter::once(&pol.using).chain(pol.check.iter()) {
                for_each_sql(pred, &mut |text| {
                    let Some(parsed) = sql::expr(text) else {
                        return;
                    };
                    let one_arg = sql::expressions(&parsed)
                        .iter()
                        .filter_map(sql::call)
                        .any(|(name, args)| name == "current_setting" && args == 1);
                    if one_arg {
                        let lower = text.text.to_ascii_lowercase();
                        let at = lower.find("current_setting").unwrap_or(0);
                        out.push(
                            Diagnostic::of(
                                Code::SettingWithoutMissingOk,
                                "`current_setting` is called without `missing_ok`: a session without the setting gets an error, not zero rows",
                            )
                            .at(text.span.sub(at, at + "current_setting".len()))
                            .help("write `current_setting('…', true)`, or use `tenant` / `owner`, which sluice compiles that way"),
                        );
                    }
                });
            }
        }
    }
}
