//! Keys of the older format: each is an error at the key that says what
//! replaces it, all reported at once; and an unknown key's error does not
//! offer them.

use crate::{CALLS, edit, errors};

/// A spec in the older format: the hotel's envelope, the server's revoke.
const OLD: &str = "\
name: old
envelope:
  success: success
  result: result
  code_fields: [errorCode]
auth:
  token:
    method: POST
    path: /token
    params_in: form
    enveloped: true
  check:
    method: GET
    path: /check
    params_in: query
    token_param: token
    enveloped: false
  revoke:
    method: GET
    path: /revoke
    params_in: query
    token_param: token
    enveloped: false
    success: { field: code, equals: 0 }
    message: msg
  placement: { query: access_token, default: query }
api:
  envelope: detect
";

#[test]
fn each_old_key_says_what_replaces_it() {
    let enveloped = "`enveloped` is replaced by `answer`: the name of an entry of `answers` (e.g. `answer: envelope`) or an answer rule written in place; `enveloped: false` is the default, `answer: status`";
    let expected = [
        "spec/probe.yaml:2:1: at `envelope`: the top-level `envelope` is replaced by named answer rules: add e.g. `answers: { envelope: { success: { field: success, equals: true }, payload: result } }` (with `code_fields` and `message_fields` as before), and write `answer: envelope` where answers are wrapped (`auth.token.answer`, `api.answer`, …)".to_owned(),
        format!("spec/probe.yaml:11:5: at `auth.token.enveloped`: {enveloped}"),
        format!("spec/probe.yaml:17:5: at `auth.check.enveloped`: {enveloped}"),
        format!("spec/probe.yaml:23:5: at `auth.revoke.enveloped`: {enveloped}"),
        "spec/probe.yaml:24:5: at `auth.revoke.success`: `success` moved into `answer`, next to the message: write e.g. `answer: { success: { field: code, equals: 0 }, message_fields: [msg] }`".to_owned(),
        "spec/probe.yaml:25:5: at `auth.revoke.message`: `message` moved into `answer` as `message_fields`: write e.g. `answer: { success: { field: code, equals: 0 }, message_fields: [msg] }`".to_owned(),
        "spec/probe.yaml:28:3: at `api.envelope`: `api.envelope` is replaced by `api.answer`: an answer rule or the name of one in `answers`; `none` is the default `status`, `always` is `success: { field: …, equals: … }` (an answer without the field is an error: `absent: failure`, the default), `detect` is the same with `absent: success`".to_owned(),
    ];
    assert_eq!(errors(OLD), expected.join("\n"));
}

#[test]
fn an_unknown_key_is_not_told_to_be_an_old_one() {
    let text = edit(
        CALLS,
        "    token_param: token\n  placement",
        "    token_param: token\n    sucess: x\n  placement",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:22:5: at `auth.revoke`: unknown field `sucess`, expected one of `docs`, `method`, `path`, `params_in`, `headers`, `constants`, `token_param`, `client_auth`, `client_id`, `client_secret`, `answer`, `response`"
    );
}
