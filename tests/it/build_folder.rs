//! The output folder as `sluice build` treats it: found from the workspace,
//! never sharing its files with anything sluice did not write, and never
//! left half-written by a second build or a killed one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::drizzle::{text, Scratch};

fn sluice_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the sluice binary runs")
}

fn all(o: &Output) -> String {
    format!("{}{}", text(&o.stdout), text(&o.stderr))
}

#[test]
fn the_configured_out_is_relative_to_the_workspace_not_the_current_folder() {
    let s = Scratch::new("out-relative");
    let elsewhere = s.root.join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    let ws = s.root.join("schemas");
    let o = sluice_in(&elsewhere, &["build", ws.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        s.root.join("drizzle/core/0000_initial.sql").is_file(),
        "{}",
        all(&o)
    );
    assert!(
        !elsewhere.join("drizzle").exists(),
        "wrote beside the current folder"
    );
    let o = sluice_in(
        &elsewhere,
        &["build", ws.to_str().expect("utf-8"), "--check"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
}
