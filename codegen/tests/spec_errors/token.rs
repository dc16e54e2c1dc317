//! The token answer's lifetime, what says a token is invalid, and where an
//! issuer's metadata is.

use crate::{CALLS, edit, errors, generates};

/// `CALLS` with the token call's `response` replaced by `response` (which
/// starts on line 9) and the refresh token field.
fn response(response: &str) -> String {
    edit(
        CALLS,
        "    response: { type: Token, refresh_token: refresh_token }\n",
        &format!("    response:\n      refresh_token: refresh_token\n{response}"),
    )
}

#[test]
fn both_expires_in_and_expires_at() {
    let text = response(
        "      type: Token\n      expires_in: expires_in\n      expires_at: { field: expires_in, format: epoch_seconds }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:11:7: at `auth.token.response.expires_at`: `expires_in` and `expires_at` both say where the lifetime is; keep one: `expires_in` for seconds from now, `expires_at` for an instant"
    );
}

#[test]
fn an_instant_format_that_is_none() {
    let text = response("      expires_at: { field: expires, format: iso8601 }\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:9:45: at `auth.token.response.expires_at.format`: unknown variant `iso8601`, expected one of `epoch_seconds`, `epoch_millis`, `rfc3339`"
    );
}

#[test]
fn an_expires_at_field_the_type_lacks() {
    let text =
        response("      type: Token\n      expires_at: { field: expiresAt, format: rfc3339 }\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:10:28: at `auth.token.response.expires_at.field`: the type `Token` has no field `expiresAt`; expected one of: access_token, refresh_token, expires_in, ok, meta"
    );
    generates(&response(
        "      type: Token\n      expires_at: { field: expires_in, format: epoch_seconds }\n",
    ));
}

#[test]
fn invalid_token_and_discovery() {
    let text = edit(
        CALLS,
        "    default: header\n",
        "    default: header\n  invalid_token: { code_fields: errcode, challenge: true }\n  discovery: [openid-configuration, openid-configuration]\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:26:37: at `auth.discovery[1]`: listed twice"
    );
    let text = edit(
        CALLS,
        "    default: header\n",
        "    default: header\n  discovery: [well-known]\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:25:15: at `auth.discovery[0]`: unknown variant `well-known`, expected `oauth-authorization-server` or `openid-configuration`"
    );
}
