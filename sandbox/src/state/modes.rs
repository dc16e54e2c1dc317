//! Switches that change what the providers do, set from
//! [`SandboxConfig`](crate::SandboxConfig) at start and changeable at run time.

use std::sync::atomic::{AtomicBool, Ordering};

/// The live switches.
#[derive(Debug, Default)]
pub(crate) struct Modes {
    new_token_revokes_earlier: AtomicBool,
}

impl Modes {
    /// Whether issuing an access token revokes the client's earlier ones.
    pub fn new_token_revokes_earlier(&self) -> bool {
        self.new_token_revokes_earlier.load(Ordering::SeqCst)
    }

    pub fn set_new_token_revokes_earlier(&self, on: bool) {
        self.new_token_revokes_earlier.store(on, Ordering::SeqCst);
    }
}
