//! Fuzz target: `sluice lint` on one SQL file (in a transaction, as a
//! migration, a rollback and a contract phase). Any panic, and any input
//! over the time limit, is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sluice::lint::{LintContext, Session};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for in_transaction in [true, false] {
        let cx = LintContext {
            in_transaction,
            contract_phase: !in_transaction,
            ..LintContext::default()
        };
        let mut session = Session::new(cx.clone());
        let _ = session.lint_with(text, &cx);
    }
});
