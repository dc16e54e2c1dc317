//! `call`: it carries sudo, tenant and token placement; it prints what the
//! client returns (hotel's `{success, result}` unwrapped, a vendor error
//! as one line with its code, even on HTTP 200); `--raw` prints the whole
//! answer; `--output json` is `{status, body}`; a refusal for scope is not
//! replayed. Against a sandbox started here.

use crate::support::{TestSandbox, json, one_error_line, stderr, stdout};

#[test]
fn call_sends_sudo_tenant_and_token_placement() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run(
        "call",
        "server",
        &[
            "GET",
            "/api/me",
            "--sudo",
            "email:a+b@example.com",
            "--tenant-code",
            "华东-01",
            "--token-in",
            "query",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "HTTP 200 OK\n");
    let me: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a JSON body");
    assert_eq!(me["user"]["uid"], 1002);
    assert_eq!(me["user"]["email"], "a+b@example.com");
    assert_eq!(me["tenant"]["tenantId"], 2);
    assert_eq!(me["tokenIn"], "query");

    let data = r#"{"name":"Roadmap"}"#;
    let args = [
        "POST",
        "/api/projects",
        "--sudo",
        "uid:1001",
        "--data",
        data,
    ];
    let output = sandbox.run(
        "call",
        "server",
        &[&args[..], &["--output", "json"]].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let answer = json(&output);
    assert_eq!(answer["status"], 201);
    assert_eq!(answer["body"]["name"], "Roadmap");
}

#[test]
fn call_unwraps_hotels_envelope_and_raw_shows_it() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("call", "hotel", &["GET", "/api/v1.0/hotels/H1002"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let hotel: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(hotel["hotelName"], "上海外滩酒店");
    assert!(hotel.get("success").is_none(), "{hotel}");

    let raw = sandbox.run("call", "hotel", &["GET", "/api/v1.0/hotels/H1002", "--raw"]);
    assert!(raw.status.success(), "{}", stderr(&raw));
    let out = stdout(&raw);
    let (status, body) = out.split_once('\n').unwrap();
    assert_eq!(status, "HTTP 200 OK");
    let whole: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(whole["success"], true);
    assert_eq!(whole["result"], hotel);

    let raw = sandbox.run(
        "call",
        "hotel",
        &["GET", "/api/v1.0/hotels", "--raw", "--output", "json"],
    );
    let answer = json(&raw);
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["body"]["result"].as_array().unwrap().len(), 3);
}

#[test]
fn a_vendor_error_is_one_line_with_its_code_even_on_http_200() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("call", "hotel", &["GET", "/api/v1.0/hotels/H404"]);
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    let err = one_error_line(&output, 1);
    assert!(
        err.starts_with(
            "error: `hotel` answered GET /api/v1.0/hotels/H404 with HTTP 200, code not_found: "
        ),
        "{err}"
    );
    let output = sandbox.run(
        "call",
        "hotel",
        &["GET", "/api/v1.0/hotels/H404", "--output", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let answer = json(&output);
    assert_eq!(
        (&answer["status"], &answer["error"]["code"]),
        (&200.into(), &"not_found".into())
    );

    // The same answer, raw: HTTP 200 is a success to --raw.
    let raw = sandbox.run("call", "hotel", &["GET", "/api/v1.0/hotels/H404", "--raw"]);
    assert!(raw.status.success(), "{}", stderr(&raw));
    assert!(
        stdout(&raw).contains("\"success\": false"),
        "{}",
        stdout(&raw)
    );
}

#[test]
fn a_refused_call_is_one_error_line() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("call", "server", &["GET", "/api/nope"]);
    let err = one_error_line(&output, 1);
    assert!(
        err.starts_with("error: `server` answered GET /api/nope with HTTP 404, code 40400"),
        "{err}"
    );

    let raw = sandbox.run("call", "server", &["GET", "/api/nope", "--raw"]);
    assert!(
        stdout(&raw).starts_with("HTTP 404 Not Found\n"),
        "{}",
        stdout(&raw)
    );
    assert_eq!(
        one_error_line(&raw, 1),
        "error: `server` answered 404 Not Found to GET /api/nope"
    );
}

#[test]
fn oauth2_calls_carry_the_bearer_and_insufficient_scope_is_not_replayed() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run(
        "call",
        "oauth2",
        &["GET", "/oauth2/api/me", "--output", "json"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let me = json(&output);
    assert_eq!(
        (&me["status"], &me["body"]["token_in"]),
        (&200.into(), &"header".into())
    );

    let before = sandbox.stats();
    let data = r#"{"title":"Q3"}"#;
    let output = sandbox.run(
        "call",
        "oauth2",
        &[
            "POST",
            "/oauth2/api/reports",
            "--scope",
            "read",
            "--data",
            data,
        ],
    );
    let err = one_error_line(&output, 1);
    assert!(
        err.contains("HTTP 403, code insufficient_scope: this call needs scope write"),
        "{err}"
    );
    let counted = sandbox.stats().since(&before).oauth2;
    assert_eq!(
        (counted.token_issued, counted.api_calls),
        (1, 1),
        "no replay"
    );
}
