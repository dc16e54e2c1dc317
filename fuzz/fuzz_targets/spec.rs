//! Any text as a provider spec: the generator answers with code it can read
//! back or a spec error, never a panic, a hang or a crash.
#![no_main]

use std::path::Path;

use authorized_codegen::{DEFAULT_RUNTIME_CRATE, Error, generate_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match generate_file(Path::new("fuzz.yaml"), &text, DEFAULT_RUNTIME_CRATE) {
        Ok(_) | Err(Error::Spec(_)) => {}
        Err(other) => panic!("not a spec error: {other}"),
    }
});
