//! The program's log: the events of every crate, as compact lines on standard error, chosen by
//! `HOMEWARD_LOG`.
//!
//! What the program says to the person running it (the demo's accounts, "Homeward is running
//! at …", progress) is printed, not logged, so no filter can hide it.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// The environment variable holding the filter.
pub const VARIABLE: &str = "HOMEWARD_LOG";

/// The filter when `HOMEWARD_LOG` is unset: Homeward's own events from `info` up (refusals,
/// failures, sign-in warnings), its dependencies' from `warn`. Each request's own line is
/// `debug`, so `HOMEWARD_LOG=warn,homeward=debug` adds them.
pub const DEFAULT_FILTER: &str = "warn,homeward=info";

/// What `--help` says about the log, for the commands that serve.
pub const HELP: &str = "\
Logging:
  Events are written to standard error, one line each, with UTC time, level and fields.
  HOMEWARD_LOG chooses them, in tracing's EnvFilter syntax [default: warn,homeward=info].
  Each request's line (method, route, status, latency in ms, account id) is at debug:
  HOMEWARD_LOG=warn,homeward=debug shows them. Refusals worth a look (401, 403, 404 on a
  record, 405, 408, 413, 415, 429) are info, failed sign-ins and refused tokens warn, our
  own failures error. Colours only on a terminal, and never when NO_COLOR is set.";

/// Installs the log for the whole process; call once, first thing. An unreadable
/// `HOMEWARD_LOG` is refused rather than ignored, so that no one believes a filter is on.
pub fn init() -> Result<(), String> {
    let filter = match std::env::var(VARIABLE) {
        Ok(directives) => EnvFilter::try_new(&directives)
            .map_err(|error| format!("{VARIABLE} is not a filter ({error}): {directives}"))?,
        Err(std::env::VarError::NotPresent) => EnvFilter::new(DEFAULT_FILTER),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(format!("{VARIABLE} is not valid UTF-8"));
        }
    };
    tracing_subscriber::fmt()
        .compact()
        .with_writer(std::io::stderr)
        .with_ansi(colours_wanted())
        .with_env_filter(filter)
        .try_init()
        .map_err(|error| format!("the log could not be installed: {error}"))
}

/// Whether to colour the log: only for a person at a terminal who has not asked for none
/// (<https://no-color.org>: any non-empty `NO_COLOR`).
fn colours_wanted() -> bool {
    let declined = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    !declined && std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_filter_reads() {
        assert!(EnvFilter::try_new(DEFAULT_FILTER).is_ok());
        assert!(HELP.contains(DEFAULT_FILTER) && HELP.contains(VARIABLE));
    }
}
