//! Where the token goes, sudo, and the HTTP headers a spec writes.

use crate::{errors, replace};

#[test]
fn semantic_checks_of_the_auth_section() {
    let text = replace("    default: header\n", "    default: query\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:9:14: at `auth.placement.default`: the default is `query` but `auth.placement.query` is not set"
    );
    let text = replace(
        "    default: header\n",
        "    default: header\n  sudo: { param: sudo, forms: { nickname: nick } }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:10:33: at `auth.sudo.forms.nickname`: unknown sudo form `nickname`; expected one of: uid, login_name, email, mobile, username"
    );
}

#[test]
fn token_header_name_that_is_not_one() {
    let text = replace(
        "    header: { name: Authorization, scheme: Bearer }\n",
        "    header: { name: Author ization, scheme: Bearer }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:8:21: at `auth.placement.header.name`: `Author ization` is not a valid HTTP header name; expected letters, digits and !#$%&'*+-.^_`|~ only (no spaces), such as `Accept` or `X-Api-Version`"
    );
    let text = replace("{ name: Authorization,", "{ name: \"\",");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:8:21: at `auth.placement.header.name`: `` is not a valid HTTP header name; expected letters, digits and !#$%&'*+-.^_`|~ only (no spaces), such as `Accept` or `X-Api-Version`"
    );
}

#[test]
fn token_header_scheme_that_is_not_a_token() {
    let text = replace("scheme: Bearer }", "scheme: \"Bearer\\r\\nX-Evil: 1\" }");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:8:44: at `auth.placement.header.scheme`: `Bearer\\r\\nX-Evil: 1` is not a valid authentication scheme; expected one word of letters, digits and !#$%&'*+-.^_`|~ (an RFC 7230 token), such as `Bearer`"
    );
    let text = replace("scheme: Bearer }", "scheme: Bea rer }");
    assert!(
        errors(&text).starts_with("spec/probe.yaml:8:44: at `auth.placement.header.scheme`: `Bea rer` is not a valid authentication scheme;"),
        "{}",
        errors(&text)
    );
    let text = replace("scheme: Bearer }", "scheme: \"\" }");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:8:44: at `auth.placement.header.scheme`: the scheme is empty; expected one such as `Bearer`, or no `scheme` to send the bare token"
    );
}

#[test]
fn token_endpoint_headers_that_are_not_headers() {
    let text = replace(
        "    params_in: query\n",
        "    params_in: query\n    headers:\n      X Bad: json\n      Accept: \"application/json\\n\"\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:8:7: at `auth.token.headers.X Bad`: `X Bad` is not a valid HTTP header name; expected letters, digits and !#$%&'*+-.^_`|~ only (no spaces), such as `Accept` or `X-Api-Version`\n\
         spec/probe.yaml:9:15: at `auth.token.headers.Accept`: the value of the header `Accept` is not a valid HTTP header value; expected text without control characters or line breaks (tabs are allowed)"
    );
}

#[test]
fn check_and_revoke_headers_that_are_not_headers() {
    let text = replace(
        "    default: header\n",
        "    default: header\n\
         \x20 check:\n\
         \x20   method: GET\n\
         \x20   path: /check\n\
         \x20   params_in: query\n\
         \x20   token_param: token\n\
         \x20   headers: { \"X:Trace\": on }\n\
         \x20   response: Widget\n\
         \x20 revoke:\n\
         \x20   method: GET\n\
         \x20   path: /revoke\n\
         \x20   params_in: query\n\
         \x20   token_param: token\n\
         \x20   headers: { X-Trace: \"on\\u0007\" }\n\
         \x20   answer: { success: { field: code, equals: 0 } }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:15:16: at `auth.check.headers.X:Trace`: `X:Trace` is not a valid HTTP header name; expected letters, digits and !#$%&'*+-.^_`|~ only (no spaces), such as `Accept` or `X-Api-Version`\n\
         spec/probe.yaml:22:25: at `auth.revoke.headers.X-Trace`: the value of the header `X-Trace` is not a valid HTTP header value; expected text without control characters or line breaks (tabs are allowed)"
    );
}
