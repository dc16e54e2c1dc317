//! Authorization server metadata (RFC 8414) and its OpenID-style twin: the
//! document names endpoints that work, on whatever address serves it.

mod common;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use common::{Fixture, json, start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WELL_KNOWN: &str = "/.well-known/oauth-authorization-server/oauth2";
const OPENID: &str = "/oauth2/.well-known/openid-configuration";

async fn metadata(f: &Fixture, path: &str) -> Value {
    let (status, headers, body) = json(f.http.get(f.url(path)).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    body
}

#[tokio::test]
async fn the_metadata_names_this_sandbox_and_what_it_supports() {
    let f = start().await;
    let issuer = format!("{}/oauth2", f.sandbox.base_url());
    let methods = json!(["client_secret_basic", "client_secret_post"]);
    assert_eq!(
        metadata(&f, WELL_KNOWN).await,
        json!({
            "issuer": issuer,
            "token_endpoint": format!("{issuer}/token"),
            "introspection_endpoint": format!("{issuer}/introspect"),
            "revocation_endpoint": format!("{issuer}/revoke"),
            "token_endpoint_auth_methods_supported": methods,
            "introspection_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_methods_supported": methods,
            "grant_types_supported": ["client_credentials"],
            "response_types_supported": [],
            "scopes_supported": ["read", "write"],
        })
    );
}

#[tokio::test]
async fn the_well_known_url_is_the_issuer_with_the_suffix_inserted() {
    let f = start().await;
    let body = metadata(&f, WELL_KNOWN).await;
    // RFC 8414 §3: the well-known string goes between the host and the path
    // of the issuer, and §3.3: the issuer read back must be that issuer.
    let issuer = body["issuer"].as_str().unwrap();
    let rest = issuer.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let well_known = format!("http://{host}/.well-known/oauth-authorization-server{path}");
    assert_eq!(well_known, f.url(WELL_KNOWN));
}

#[tokio::test]
async fn the_openid_configuration_is_the_same_document() {
    let f = start().await;
    assert_eq!(metadata(&f, OPENID).await, metadata(&f, WELL_KNOWN).await);
}

#[tokio::test]
async fn the_endpoints_it_names_work() {
    let f = start().await;
    let body = metadata(&f, WELL_KNOWN).await;
    let endpoint = |name: &str| body[name].as_str().unwrap().to_owned();
    let client = [
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let grant = [("grant_type", "client_credentials"), ("scope", "read")];
    let request = f
        .http
        .post(endpoint("token_endpoint"))
        .form(&[&grant[..], &client].concat());
    let (status, _, answer) = json(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let token = answer["access_token"].as_str().unwrap();
    let scopes: Vec<&str> = answer["scope"].as_str().unwrap().split(' ').collect();
    assert!(scopes.iter().all(|s| {
        body["scopes_supported"]
            .as_array()
            .unwrap()
            .contains(&json!(s))
    }));

    let form = [&[("token", token)][..], &client].concat();
    let request = f.http.post(endpoint("introspection_endpoint")).form(&form);
    let (_, _, answer) = json(request.send().await.unwrap()).await;
    assert_eq!(answer["active"], true);
    let request = f.http.post(endpoint("revocation_endpoint")).form(&form);
    assert_eq!(request.send().await.unwrap().status(), StatusCode::OK);
    let request = f.http.post(endpoint("introspection_endpoint")).form(&form);
    assert_eq!(
        json(request.send().await.unwrap()).await.2,
        json!({ "active": false })
    );
}

#[tokio::test]
async fn the_issuer_follows_the_host_header() {
    let f = start().await;
    for path in [WELL_KNOWN, OPENID] {
        let request = f
            .http
            .get(f.url(path))
            .header("host", "auth.sandbox.test:8443");
        let (status, _, body) = json(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["issuer"], "http://auth.sandbox.test:8443/oauth2");
        assert_eq!(
            body["token_endpoint"],
            "http://auth.sandbox.test:8443/oauth2/token"
        );
    }
}

#[tokio::test]
async fn a_request_without_a_host_is_a_400() {
    let f = start().await;
    let mut stream = tokio::net::TcpStream::connect(f.sandbox.addr())
        .await
        .unwrap();
    let request = format!("GET {WELL_KNOWN} HTTP/1.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(answer.contains(r#""error":"invalid_request""#), "{answer}");
}
