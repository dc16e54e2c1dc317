//! Client authentication, and the parameters each call sends: each once.

use crate::{CALLS, edit, errors, generates};

/// `CALLS` with `lines` added to the call whose `path` is `path`.
fn with(path: &str, lines: &str) -> String {
    edit(
        CALLS,
        &format!("    path: {path}\n"),
        &format!("    path: {path}\n{lines}"),
    )
}

#[test]
fn client_auth_that_lists_nothing_or_a_method_twice() {
    assert_eq!(
        errors(&with("/token", "    client_auth: []\n")),
        "spec/probe.yaml:6:18: at `auth.token.client_auth`: expected at least one client authentication method: `params`, `basic` or `none` (the default first)"
    );
    assert_eq!(
        errors(&with("/check", "    client_auth: [basic, params, basic]\n")),
        "spec/probe.yaml:14:34: at `auth.check.client_auth[2]`: `basic` is listed twice"
    );
}

#[test]
fn client_auth_that_is_no_method() {
    assert_eq!(
        errors(&with("/revoke", "    client_auth: client_secret_post\n")),
        "spec/probe.yaml:20:18: at `auth.revoke.client_auth`: unknown variant `client_secret_post`, expected one of `params`, `basic`, `none`"
    );
}

#[test]
fn check_sends_the_token_parameter_as_a_constant_too() {
    assert_eq!(
        errors(&with(
            "/check",
            "    constants: { token_type_hint: access_token, token: x }\n"
        )),
        "spec/probe.yaml:16:18: at `auth.check.token_param`: the check call sends the parameter `token` twice: as a constant and as the token (`token_param`)"
    );
}

#[test]
fn revoke_sends_the_client_id_under_the_token_parameters_name() {
    assert_eq!(
        errors(&with(
            "/revoke",
            "    client_auth: params\n    client_id: token\n"
        )),
        "spec/probe.yaml:21:16: at `auth.revoke.client_id`: the revoke call sends the parameter `token` twice: as the token (`token_param`) and as the client id (`client_id`)"
    );
}

#[test]
fn the_token_call_sends_a_credential_as_a_constant_too_unless_it_uses_basic() {
    let text = with("/token", "    constants: { client_secret: x }\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:6:18: at `auth.token.constants.client_secret`: the token call sends the parameter `client_secret` twice: as a constant and as the client secret (`client_secret`)"
    );
    generates(&with(
        "/token",
        "    constants: { client_secret: x }\n    client_auth: basic\n",
    ));
}

#[test]
fn refresh_sends_the_refresh_token_as_a_constant_too() {
    let text = edit(
        CALLS,
        "{ grant_type: refresh_token }",
        "{ grant_type: refresh_token, refresh_token: x }",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:10:20: at `auth.refresh.refresh_token`: the refresh call sends the parameter `refresh_token` twice: as a constant and as the refresh token (`refresh_token`)"
    );
}

#[test]
fn credential_names_for_a_call_that_sends_no_credentials() {
    assert_eq!(
        errors(&with(
            "/check",
            "    client_auth: basic\n    client_secret: secret\n"
        )),
        "spec/probe.yaml:15:5: at `auth.check.client_secret`: `client_secret` is the wire name of a parameter sent only with `params` client authentication, which `auth.check.client_auth` does not allow; add `params` to `client_auth` or remove `client_secret`"
    );
}
