//! Broken specs fail with the file, line, column, path in the document and
//! what was expected; never with a panic. One file per topic:
//!
//! - `format.rs`: the document as a whole (syntax, keys, value types);
//! - `types_and_endpoints.rs`: types, endpoints, Rust names;
//! - `placement_and_headers.rs`: token placement, sudo, HTTP headers;
//! - `answers.rs`: answer rules, their names and the types they compare with;
//! - `calls.rs`: client authentication and the parameters each call sends;
//! - `token.rs`: the token answer's lifetime, invalid tokens, discovery;
//! - `removed.rs`: keys of the older format and what replaces them.

mod answers;
mod calls;
mod format;
mod placement_and_headers;
mod removed;
mod token;
mod types_and_endpoints;

use std::path::Path;

/// A minimal valid spec to break in one place at a time.
pub const VALID: &str = "\
name: probe
auth:
  token:
    method: GET
    path: /token
    params_in: query
  placement:
    header: { name: Authorization, scheme: Bearer }
    default: header
types:
  Widget:
    fields:
      id: integer
endpoints:
  get_widget:
    method: GET
    path: /widgets/{id}
    path_params:
      id: integer
    response: Widget
";

/// A valid spec with every token call and typed answers, to break the
/// calls and answer rules of.
pub const CALLS: &str = "\
name: probe
auth:
  token:
    method: POST
    path: /token
    params_in: form
    response: { type: Token, refresh_token: refresh_token }
  refresh:
    constants: { grant_type: refresh_token }
    refresh_token: refresh_token
  check:
    method: POST
    path: /check
    params_in: form
    token_param: token
    response: Verdict
  revoke:
    method: POST
    path: /revoke
    params_in: form
    token_param: token
  placement:
    header: { name: Authorization, scheme: Bearer }
    default: header
types:
  Token:
    fields:
      access_token: secret
      refresh_token: secret
      expires_in: integer
      ok: boolean
      meta: Meta
  Meta:
    fields:
      active: boolean
  Verdict:
    fields:
      code: integer
      status: Status
      label: string
      tags: array<string>
  Status:
    enum: [active, revoked]
";

/// The rendered errors for `text`, one per line.
pub fn errors(text: &str) -> String {
    match authorized_codegen::generate(Path::new("spec/probe.yaml"), text, "::rt") {
        Ok(_) => panic!("expected the spec to be refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Panics with the errors unless `text` generates.
pub fn generates(text: &str) {
    if let Err(e) = authorized_codegen::generate(Path::new("spec/probe.yaml"), text, "::rt") {
        panic!("expected the spec to generate:\n{text}\n{e}");
    }
}

/// `VALID` with `from` replaced by `to`, once.
pub fn replace(from: &str, to: &str) -> String {
    edit(VALID, from, to)
}

/// `base` with `from` replaced by `to`, once.
pub fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "{from:?} not in the spec");
    base.replacen(from, to, 1)
}

#[test]
fn the_calls_spec_generates() {
    generates(CALLS);
}
