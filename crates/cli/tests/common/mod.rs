//! Running the real `homeward` binary from the integration tests.

#![allow(dead_code)] // Each test file uses its own subset.

use std::process::{Command, Output};

/// Runs the binary from the workspace's root, so relative paths name the repository's files.
pub fn homeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("HOMEWARD_DATABASE")
        .output()
        .expect("the binary runs")
}

/// Standard output of a run that must succeed.
pub fn succeed(args: &[&str]) -> String {
    let output = homeward(args);
    assert!(
        output.status.success(),
        "homeward {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Standard error of a run that must fail.
pub fn fail(args: &[&str]) -> String {
    let output = homeward(args);
    assert!(
        !output.status.success(),
        "homeward {args:?} should have failed"
    );
    String::from_utf8(output.stderr).expect("UTF-8 errors")
}
