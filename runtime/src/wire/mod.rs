//! Bytes on and off the wire: the one URL join and query encoding, spec
//! headers parsed once, where a token goes, the one size-limited body
//! reader, and the one way an answer is judged. Uses `def/` and the
//! crate's leaf modules (`error`, `redact`, `secret`), nothing above.

pub(crate) mod answer;
pub(crate) mod body;
pub(crate) mod headers;
pub(crate) mod placement;
pub(crate) mod url;
