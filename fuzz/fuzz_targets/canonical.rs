//! The canonical loader on arbitrary bytes: the first byte chooses the table
//! and the size limits, the rest is the file. See the invariants in
//! `tests/fuzz_regressions/invariants.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_regressions/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::canonical(data);
});
