//! The integration test binary: fixtures, the CLI, the bundled workspace.

mod cli;
mod drizzle;
mod drizzle_release;
mod emit;
mod fixture;
mod fixtures_errors;
mod fixtures_ok;
mod injection;
mod injection_property;
mod lint_cli;
mod lint_emitted;
mod pg;
mod pg_emit;
mod pg_harness;
mod pg_injection;
mod pg_phases;
mod phases;
mod pre_commit;
mod psql_split;
mod readme;
mod rls;
mod robustness;
