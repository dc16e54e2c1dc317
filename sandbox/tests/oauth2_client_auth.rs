//! Client authentication at the OAuth 2.0 endpoints (RFC 6749 §2.3): HTTP
//! Basic with each part form-urlencoded first (§2.3.1), `client_secret_post`,
//! and never both.

mod common;

use authorized_sandbox::{ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};
use common::{Fixture, OAUTH2_INTROSPECT, OAUTH2_REVOKE, OAUTH2_TOKEN, json, start, start_with};
use reqwest::StatusCode;
use url::form_urlencoded::byte_serialize;

/// Credentials holding everything clients get wrong: `:`, `+`, `%`, spaces,
/// `/`, `=`, `&` and non-ASCII.
const ODD_ID: &str = "app:1 + 2%/é";
const ODD_SECRET: &str = "p:a+s s%25w=&rd 华ü";

async fn odd_sandbox() -> Fixture {
    let mut config = SandboxConfig::default();
    config
        .clients
        .push(ClientCredentials::new(ODD_ID, ODD_SECRET));
    start_with(config).await
}

/// `application/x-www-form-urlencoded`, as §2.3.1 asks of each part.
fn form_encode(text: &str) -> String {
    byte_serialize(text.as_bytes()).collect()
}

/// Token request with Basic credentials `user:password` as given (reqwest
/// only base64-encodes them).
async fn with_basic(
    f: &Fixture,
    user: &str,
    password: &str,
) -> (StatusCode, reqwest::header::HeaderMap, serde_json::Value) {
    let request = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .basic_auth(user, Some(password))
        .form(&[("grant_type", "client_credentials")]);
    json(request.send().await.unwrap()).await
}

#[tokio::test]
async fn basic_credentials_are_form_decoded_after_base64() {
    let f = odd_sandbox().await;
    let (user, password) = (form_encode(ODD_ID), form_encode(ODD_SECRET));
    assert_eq!(
        user, "app%3A1+%2B+2%25%2F%C3%A9",
        "the encoding the test relies on"
    );
    let (status, _, body) = with_basic(&f, &user, &password).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Spaces may also be %20: any correct encoding decodes the same.
    let (status, _, body) = with_basic(&f, &user.replace('+', "%20"), &password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let lower = password.to_lowercase();
    let (status, _, body) = with_basic(&f, &user, &lower).await;
    assert_eq!(status, StatusCode::OK, "hex digits in either case: {body}");
}

#[tokio::test]
async fn credentials_sent_without_form_encoding_are_refused() {
    let f = odd_sandbox().await;
    let (user, password) = (form_encode(ODD_ID), form_encode(ODD_SECRET));
    let wrong = [
        // Not encoded at all: the colon in the id splits it in the wrong place.
        (ODD_ID.to_owned(), ODD_SECRET.to_owned()),
        // A raw space, colon or non-ASCII character cannot be encoded text.
        (user.clone(), ODD_SECRET.to_owned()),
        (user.replace("%3A", ":"), password.clone()),
        (user.clone(), password.replace("%E5%8D%8E", "华")),
        // A raw `+` reads as a space, a raw `%2` starts no escape.
        (user.replace("%2B", "+"), password.clone()),
        (user.clone(), password.replace("%2525", "%25")),
        (user.replace("%25", "%2"), password.clone()),
    ];
    for (user, password) in wrong {
        let (status, headers, body) = with_basic(&f, &user, &password).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::UNAUTHORIZED, &"invalid_client".into()),
            "{user} {password}: {body}"
        );
        assert_eq!(headers["www-authenticate"], r#"Basic realm="sandbox""#);
    }
}

#[tokio::test]
async fn the_same_odd_credentials_work_in_the_body() {
    let f = odd_sandbox().await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", ODD_ID),
        ("client_secret", ODD_SECRET),
    ];
    let response = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_plain_secret_reads_the_same_encoded_or_not() {
    let f = start().await;
    let (status, _, body) = with_basic(&f, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn basic_with_a_matching_client_id_in_the_body_is_one_method() {
    let f = start().await;
    let request = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
        ]);
    let (status, _, body) = json(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(f.sandbox.stats().oauth2.token_auth_basic, 1);
}

#[tokio::test]
async fn both_methods_at_once_are_refused_and_counted() {
    let f = start().await;
    let both = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let request = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&both);
    let (status, headers, body) = json(request.send().await.unwrap()).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::BAD_REQUEST, &"invalid_request".into()),
        "{body}"
    );
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.contains("two client authentication methods"),
        "{description}"
    );
    assert_eq!(headers["cache-control"], "no-store");

    // The same rule at introspection and revocation.
    for path in [OAUTH2_INTROSPECT, OAUTH2_REVOKE] {
        let form = [
            ("token", "oat_x"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
        ];
        let request = f
            .http
            .post(f.url(path))
            .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
            .form(&form);
        let (status, _, body) = json(request.send().await.unwrap()).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::BAD_REQUEST, &"invalid_request".into()),
            "{path}: {body}"
        );
    }
    let stats = f.sandbox.stats().oauth2;
    assert_eq!((stats.token_auth_both, stats.token_rejected), (1, 1));
    assert_eq!((stats.introspect_rejected, stats.revoke_rejected), (1, 1));
}

#[tokio::test]
async fn a_malformed_basic_header_is_a_challenged_invalid_client() {
    let f = start().await;
    // No colon ("abc"), not base64, no padding ("YQ"), empty.
    for auth in ["Basic YWJj", "Basic !!!!", "Basic YQ", "Basic "] {
        let response = f
            .post_form(OAUTH2_TOKEN, Some(auth), "grant_type=client_credentials")
            .await;
        let (status, headers, body) = json(response).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::UNAUTHORIZED, &"invalid_client".into()),
            "{auth}: {body}"
        );
        assert_eq!(headers["www-authenticate"], r#"Basic realm="sandbox""#);
    }
}
