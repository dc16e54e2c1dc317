//! Rust names for spec names: conversion and checks.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024, and the weak ones that cannot
/// name an item.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Names generated next to user types in every provider module.
pub const RESERVED_TYPES: &[&str] = &["Provider", "Client", "DEF"];

/// Methods every generated `Client` already has, which an endpoint of the
/// same name would shadow. `tests/client_methods.rs` reads the runtime's
/// source and fails when this lacks a `pub fn` of its `Client`.
pub const CLIENT_METHODS: &[&str] = &[
    // The runtime's `Client<P>` (reached through `Deref`): every `pub fn` of
    // its inherent `impl` blocks. The generated wrapper's own is `builder`.
    "builder",
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "token",
    "token_details",
    "invalidate_token",
    "provider_name",
    "base_url",
    "default_token_in",
    "stats",
    "check_token",
    "revoke_token",
    "check_given_token",
    "revoke_given_token",
    // With the runtime's `middleware` feature; reserved either way, so a
    // spec generates the same client whichever features a service enables.
    "middleware",
    "url",
    // The traits the generated `Client` implements: `Clone`, `Debug`,
    // `Deref`, `From` and the runtime's `AuthorizedClient`.
    "clone",
    "clone_from",
    "fmt",
    "deref",
    "from",
    "runtime",
];

/// The snake_case Rust name for a wire name (`loginName` → `login_name`).
pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

/// The UpperCamelCase Rust name for a wire name (`open_account` → `OpenAccount`).
pub fn camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Why `name` cannot be a Rust identifier, if it cannot.
pub fn check_ident(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("the name is empty".into());
    };
    if !(first == '_' || unicode_ident::is_xid_start(first))
        || !chars.all(unicode_ident::is_xid_continue)
        || name == "_"
    {
        return Some(format!("`{name}` is not a valid Rust identifier"));
    }
    if KEYWORDS.contains(&name) {
        return Some(format!("`{name}` is a Rust keyword"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_checks() {
        assert_eq!(snake("loginName"), "login_name");
        assert_eq!(camel("revoke_result"), "RevokeResult");
        assert_eq!(check_ident("type").unwrap(), "`type` is a Rust keyword");
        assert!(check_ident("2fa").is_some());
        assert!(check_ident("租户").is_none());
        assert!(check_ident("tenant_code").is_none());
    }
}
