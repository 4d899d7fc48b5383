//! The integration test binary: fixtures, the CLI, the bundled workspace.

mod build_folder;
mod cli;
mod cli_pipe;
mod drizzle;
mod drizzle_deploy;
mod drizzle_release;
mod emit;
mod emit_names;
mod fixture;
mod fixtures_errors;
mod fixtures_ok;
mod lint_cli;
mod lint_emitted;
mod pg;
mod pg_deploy;
mod pg_emit;
mod pg_harness;
mod pg_matrix;
mod pg_phases;
mod phases;
mod pre_commit;
mod provision;
mod readme;
mod rls;
mod robustness;
mod scale;
