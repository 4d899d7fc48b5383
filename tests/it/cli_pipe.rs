//! Every command run into a pipe whose reader has gone (`| head -1`)
//! stops writing quietly and exits with its usual code, never a panic.

use std::process::{Command, Stdio};

/// Run sluice with standard output and error on pipes already closed by
/// their readers, so every write fails with a broken pipe.
fn run_into_closed_pipes(args: &[&str]) -> (Option<i32>, String) {
    let (out_reader, out_writer) = std::io::pipe().expect("a pipe");
    let (err_reader, err_writer) = std::io::pipe().expect("a pipe");
    drop(out_reader);
    // Keep stderr readable for the first probe, closed for the second.
    let status = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(out_writer))
        .stderr(Stdio::from(err_writer))
        .status()
        .expect("the sluice binary runs");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut { err_reader }, &mut stderr).expect("stderr");
    (status.code(), stderr)
}

fn run_with_both_closed(args: &[&str]) -> Option<i32> {
    let (out_reader, out_writer) = std::io::pipe().expect("a pipe");
    let (err_reader, err_writer) = std::io::pipe().expect("a pipe");
    drop(out_reader);
    drop(err_reader);
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(out_writer))
        .stderr(Stdio::from(err_writer))
        .status()
        .expect("the sluice binary runs")
        .code()
}

#[test]
fn every_command_into_a_closed_pipe_exits_with_its_usual_code_and_no_panic() {
    let out = crate::scratch::ScratchDir::new("pipe").at("out");
    let out_arg = out.to_string_lossy().into_owned();
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["explain"], 0),
        (vec!["explain", "schema-drift"], 0),
        (vec!["explain", "no-such-code"], 2),
        (vec!["check", "schemas"], 0),
        (vec!["check", "schemas", "--format", "json"], 0),
        (vec!["build", "schemas", "--out", &out_arg], 0),
        (vec!["lint", &out_arg], 0),
        (vec!["check", "/nonexistent/sluice/workspace"], 2),
        (vec!["--help"], 0),
    ];
    for (args, want) in &cases {
        let (code, stderr) = run_into_closed_pipes(args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, Some(*want), "{args:?}: {stderr}");
        assert_eq!(run_with_both_closed(args), Some(*want), "{args:?}");
    }
}
