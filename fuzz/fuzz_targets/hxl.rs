//! The HXL reader on arbitrary bytes: the first byte chooses the options,
//! the rest is the file. See the invariants in
//! `tests/fuzz_regressions/invariants.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_regressions/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::hxl(data);
});
