//! Shared helpers for the cross-crate tests (`tests/`) and benches
//! (`benches/`), and the doc tests that keep the repository's README
//! compiling: every Rust block of it is built by `cargo test`, so an example
//! a user copies cannot rot.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A `tracing_subscriber` writer that keeps everything written, so a test
/// can read the logs back (`with_writer(move || logs.clone())`).
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct Readme;
