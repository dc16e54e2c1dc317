//! Keys an older format had: still read (so an old spec gets one located
//! error per key, saying what replaces it, instead of serde's "unknown
//! field"), never used, and left out of the keys an error lists as expected.

use serde::Deserialize;

use super::SpecFile;

/// A key of the older format: whether it is written; its value is ignored.
#[derive(Debug, Default, Clone, Copy)]
pub struct Removed(pub bool);

impl<'de> Deserialize<'de> for Removed {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(de).map(|_| Removed(true))
    }
}

const ENVELOPED: &str = "`enveloped` is replaced by `answer`: the name of an entry of `answers` \
    (e.g. `answer: envelope`) or an answer rule written in place; \
    `enveloped: false` is the default, `answer: status`";

const SUCCESS: &str = "`success` moved into `answer`, next to the message: \
    write e.g. `answer: { success: { field: code, equals: 0 }, message_fields: [msg] }`";

const MESSAGE: &str = "`message` moved into `answer` as `message_fields`: \
    write e.g. `answer: { success: { field: code, equals: 0 }, message_fields: [msg] }`";

/// Each removed key by its path in the document, with what replaces it.
pub const REMOVED_KEYS: &[(&str, &str)] = &[
    (
        "envelope",
        "the top-level `envelope` is replaced by named answer rules: add e.g. \
         `answers: { envelope: { success: { field: success, equals: true }, payload: result } }` \
         (with `code_fields` and `message_fields` as before), and write `answer: envelope` \
         where answers are wrapped (`auth.token.answer`, `api.answer`, …)",
    ),
    (
        "api.envelope",
        "`api.envelope` is replaced by `api.answer`: an answer rule or the name of one in \
         `answers`; `none` is the default `status`, `always` is \
         `success: { field: …, equals: … }` (an answer without the field is an error: \
         `absent: failure`, the default), `detect` is the same with `absent: success`",
    ),
    ("auth.token.enveloped", ENVELOPED),
    ("auth.check.enveloped", ENVELOPED),
    ("auth.revoke.enveloped", ENVELOPED),
    ("auth.check.success", SUCCESS),
    ("auth.revoke.success", SUCCESS),
    ("auth.check.message", MESSAGE),
    ("auth.revoke.message", MESSAGE),
];

impl SpecFile {
    /// The removed keys this spec writes, by path, with what replaces each.
    pub fn removed_keys(&self) -> Vec<(&'static str, &'static str)> {
        let auth = &self.auth;
        let mut written = vec![
            ("envelope".to_owned(), self.envelope.0),
            ("api.envelope".to_owned(), self.api.envelope.0),
            ("auth.token.enveloped".to_owned(), auth.token.enveloped.0),
        ];
        for (name, call) in [("check", &auth.check), ("revoke", &auth.revoke)] {
            let Some(call) = call else { continue };
            for (key, is_written) in [
                ("enveloped", call.enveloped.0),
                ("success", call.success.0),
                ("message", call.message.0),
            ] {
                written.push((format!("auth.{name}.{key}"), is_written));
            }
        }
        REMOVED_KEYS
            .iter()
            .filter(|(path, _)| written.iter().any(|(p, w)| p == path && *w))
            .copied()
            .collect()
    }
}

/// Whether `key` of the mapping at `section` is a removed key.
pub fn is_removed(section: &str, key: &str) -> bool {
    let path = if section.is_empty() {
        key.to_owned()
    } else {
        format!("{section}.{key}")
    };
    REMOVED_KEYS.iter().any(|(p, _)| *p == path)
}
