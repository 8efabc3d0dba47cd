//! A progress bar on standard error while a large file is read, only for a
//! person watching: never in a pipe, a redirect or CI.

use std::ffi::OsStr;
use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// Files larger than this (50 MB) get a progress bar; smaller ones are read
/// in about a second or less.
pub(crate) const THRESHOLD: u64 = 50_000_000;

/// Whether a file of `size` bytes gets a progress bar: only above
/// [`THRESHOLD`], when standard error is a terminal and `CI` is unset (or
/// empty, `0` or `false`).
pub(crate) fn should_show(size: u64, stderr_is_terminal: bool, ci: Option<&OsStr>) -> bool {
    let in_ci = ci.is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
    size > THRESHOLD && stderr_is_terminal && !in_ci
}

/// A bar for reading `size` bytes of `label`, or a hidden one where none
/// should show (see [`should_show`]). It is cleared when dropped.
pub(crate) fn bar(label: &str, size: u64) -> ProgressBar {
    let ci = std::env::var_os("CI");
    if !should_show(size, io::stderr().is_terminal(), ci.as_deref()) {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(crate::hints::escape(label).into_owned())
        .with_finish(ProgressFinish::AndClear)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_for_a_large_file_at_a_terminal_outside_ci() {
        let big = THRESHOLD + 1;
        assert!(should_show(big, true, None));
        assert!(!should_show(THRESHOLD, true, None), "50 MB exactly is not over 50 MB");
        assert!(!should_show(1_000, true, None));
        assert!(!should_show(big, false, None), "a pipe or a redirect");
        assert!(!should_show(big, true, Some(OsStr::new("true"))));
        assert!(!should_show(big, true, Some(OsStr::new("1"))));
        assert!(should_show(big, true, Some(OsStr::new(""))));
        assert!(should_show(big, true, Some(OsStr::new("false"))));
        assert!(should_show(big, true, Some(OsStr::new("0"))));
    }

    #[test]
    fn the_bar_is_hidden_where_it_should_not_show() {
        // Tests run with standard error captured or in CI: never a terminal
        // bar for a small file, whatever the environment.
        assert!(bar("registrations.csv", 10).is_hidden());
    }
}
