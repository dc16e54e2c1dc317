//! `AuthorizedMiddleware` in a `reqwest_middleware` stack, against a
//! scripted server: what each request carries (the token where it goes,
//! sudo and tenant, the request's own headers), the origin rule, the replay
//! rule, and no secret in what comes back up the stack. The cross-crate
//! suite (`tests/tests/middleware/`) runs it with the sandbox and beside
//! other middlewares; these are the runtime's own, so a change here is
//! judged by the runtime's tests. Needs the `middleware` feature.

mod common;

use std::fmt;

use authorized_runtime::__private::scope;
use authorized_runtime::{Client, Error, Sudo, Tenant, TokenIn, WithoutSudo};
use common::*;
use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Middleware, Next};
use serde_json::json;

/// A user's stack: a plain reqwest client with `api`'s middleware.
fn stack(api: &Client<Server>) -> ClientWithMiddleware {
    ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .build()
}

// ---- What a request carries -------------------------------------------------

#[tokio::test]
async fn the_token_goes_in_the_header_beside_the_requests_own_headers() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let answer = stack(&api)
        .get(api.url("/api/me?page=2").unwrap())
        .header("X-Request-Id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let [call] = mock.api_calls().try_into().unwrap();
    let bearer = format!("Bearer {SERVER_TOKEN}");
    assert_eq!(call.header("authorization"), Some(bearer.as_str()));
    assert_eq!(call.header("x-request-id"), Some("req-42"));
    assert_eq!(call.sorted_query(), pairs(&[("page", "2")]));
    assert_eq!(api.stats().requests, 1);
}

#[tokio::test]
async fn a_request_asking_for_the_query_gets_the_token_there_and_its_answer_does_not_show_it() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let url = api.url("/api/me?page=2").unwrap();
    let answer = stack(&api)
        .get(url.clone())
        .with_extension(TokenIn::Query)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.url(), &url, "the URL as the caller made it");
    let [call] = mock.api_calls().try_into().unwrap();
    assert_eq!(call.header("authorization"), None);
    assert_eq!(
        call.sorted_query(),
        pairs(&[("access_token", SERVER_TOKEN), ("page", "2")])
    );
}

#[tokio::test]
async fn sudo_and_tenant_from_extensions_arrive_each_alone_or_together() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let http = stack(&api);
    let url = |path: &str| api.url(path).unwrap();
    let send = |request: reqwest_middleware::RequestBuilder| async move {
        request.send().await.unwrap();
    };
    send(
        http.get(url("/sudo"))
            .with_extension(Sudo::email("a+b@example.com")),
    )
    .await;
    send(
        http.get(url("/tenant"))
            .with_extension(Tenant::code("华东-01")),
    )
    .await;
    let both = http
        .get(url("/both"))
        .with_extension(Sudo::uid(7))
        .with_extension(Tenant::id(3));
    send(both).await;
    send(http.get(url("/neither"))).await;

    let calls = mock.api_calls();
    let query = |path: &str| {
        let call = calls.iter().find(|c| c.path == path).unwrap();
        call.sorted_query()
    };
    assert_eq!(query("/sudo"), pairs(&[("sudo", "email:a+b@example.com")]));
    assert_eq!(query("/tenant"), pairs(&[("tenantCode", "华东-01")]));
    assert_eq!(
        query("/both"),
        pairs(&[("sudo", "uid:7"), ("tenantId", "3")])
    );
    assert_eq!(query("/neither"), pairs(&[]));
}

#[tokio::test]
async fn the_scopes_sudo_applies_unless_the_request_drops_it() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let http = stack(&api);
    scope(&api)
        .sudo(Sudo::uid(9))
        .tenant(Tenant::id(4))
        .token_in(TokenIn::Query)
        .run(async {
            http.get(api.url("/scoped").unwrap()).send().await.unwrap();
            let without = http.get(api.url("/without").unwrap());
            without.with_extension(WithoutSudo).send().await.unwrap();
            let own = http.get(api.url("/own").unwrap());
            let own = own
                .with_extension(Sudo::uid(1))
                .with_extension(TokenIn::Header);
            own.send().await.unwrap();
        })
        .await;
    let calls = mock.api_calls();
    let call = |path: &str| calls.iter().find(|c| c.path == path).unwrap().clone();
    assert_eq!(
        call("/scoped").sorted_query(),
        pairs(&[
            ("access_token", SERVER_TOKEN),
            ("sudo", "uid:9"),
            ("tenantId", "4")
        ])
    );
    assert_eq!(
        call("/without").sorted_query(),
        pairs(&[("access_token", SERVER_TOKEN), ("tenantId", "4")])
    );
    assert_eq!(
        call("/own").sorted_query(),
        pairs(&[("sudo", "uid:1"), ("tenantId", "4")])
    );
    assert!(call("/own").header("authorization").is_some());
}

#[tokio::test]
async fn a_request_to_another_origin_fails_before_anything_is_sent() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let elsewhere = mock.server.base_url().replace("127.0.0.1", "localhost");
    let error = stack(&api)
        .get(format!("{elsewhere}/api/me"))
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("{error:?}")
    };
    let error = error.downcast::<Error>().unwrap();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

// ---- The replay rule ---------------------------------------------------------

#[tokio::test]
async fn a_refused_token_is_renewed_and_the_request_replayed_once_with_the_new_one() {
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        Reply::text(401, "expired"),
        second_token(),
        ok(),
    ])
    .await;
    let api = mock.server_api();
    let answer = stack(&api)
        .post(api.url("/api/notes").unwrap())
        .body("a note")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let [first, replay] = mock.api_calls().try_into().unwrap();
    let (old, new) = (
        format!("Bearer {SERVER_TOKEN}"),
        format!("Bearer {SECOND_TOKEN}"),
    );
    assert_eq!(first.header("authorization"), Some(old.as_str()));
    assert_eq!(replay.header("authorization"), Some(new.as_str()));
    assert_eq!(replay.body, "a note");
    assert_eq!((api.stats().requests, api.stats().replays), (2, 1));
    assert_eq!(api.token().await.unwrap().expose(), SECOND_TOKEN);
}

#[tokio::test]
async fn a_replay_refused_again_comes_back_as_it_came_and_the_new_token_stays() {
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        Reply::text(401, "no"),
        second_token(),
        Reply::text(401, "still no"),
        ok(),
    ])
    .await;
    let api = mock.server_api();
    let http = stack(&api);
    let answer = http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.text().await.unwrap(), "still no");
    // The next request uses the renewed token: the refusal was the call's.
    http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    assert_eq!(mock.token_requests(), 2);
    assert_eq!((api.stats().requests, api.stats().replays), (3, 1));
}

#[tokio::test]
async fn a_new_token_refused_soon_after_a_renewal_is_not_dropped_and_its_request_not_replayed() {
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        Reply::text(401, "no"),
        second_token(),
        Reply::text(401, "still no"),
        Reply::text(401, "no again"),
    ])
    .await;
    let api = mock.server_api();
    let http = stack(&api);
    http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    // The renewed token was never accepted, and a token was just dropped:
    // the refusal is likely not about the token, so no renewal, no replay.
    let answer = http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    assert_eq!(answer.text().await.unwrap(), "no again", "as it came");
    assert_eq!(mock.token_requests(), 2);
    assert_eq!((api.stats().requests, api.stats().replays), (3, 1));
    assert_eq!(api.token().await.unwrap().expose(), SECOND_TOKEN);
}

// ---- Secrets --------------------------------------------------------------------

#[tokio::test]
async fn a_reqwest_error_from_below_does_not_show_the_url_with_the_token() {
    let mock = Scripted::start(vec![server_ok(json!("3600"))]).await;
    let api = mock.server_api();
    let failing = ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .with(SendElsewhere)
        .build();
    let error = failing
        .get(api.url("/api/me").unwrap())
        .with_extension(TokenIn::Query)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, reqwest_middleware::Error::Reqwest(_)));
    let text = format!("{error} || {error:?}");
    assert!(!text.contains(SERVER_TOKEN), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn another_middlewares_error_showing_a_secret_is_redacted_and_others_pass_as_they_are() {
    let mock = Scripted::start(vec![server_ok(json!("3600"))]).await;
    let api = mock.server_api();
    let send = |fail: FailWith| {
        let http = ClientBuilder::new(reqwest::Client::new())
            .with(api.middleware())
            .with(fail)
            .build();
        let url = api.url("/api/me").unwrap();
        async move { http.get(url).send().await.unwrap_err() }
    };
    let error = send(FailWith::Token).await;
    let text = format!("{error} || {error:?}");
    assert!(!text.contains(SERVER_TOKEN), "{text}");
    assert!(text.contains("refused by a gateway"), "{text}");
    let error = send(FailWith::Nothing).await;
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("{error:?}")
    };
    assert!(
        error.downcast_ref::<Leaky>().is_some(),
        "an error showing no secret is handed on as it is: {error:?}"
    );
}

/// Sends the request to a port nobody listens on, and returns reqwest's
/// error, whose URL holds the query the middleware set.
struct SendElsewhere;

#[async_trait::async_trait]
impl Middleware for SendElsewhere {
    async fn handle(
        &self,
        mut request: Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        request.url_mut().set_port(Some(port)).unwrap();
        Ok(reqwest::Client::new().execute(request).await?)
    }
}

/// Fails with an error whose text shows the request's token, or not.
#[derive(Debug, Clone, Copy)]
enum FailWith {
    Token,
    Nothing,
}

#[derive(Debug)]
struct Leaky(String);

impl fmt::Display for Leaky {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Leaky {}

#[async_trait::async_trait]
impl Middleware for FailWith {
    async fn handle(
        &self,
        request: Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let header = request.headers()["authorization"].to_str().unwrap();
        let token = header.trim_start_matches("Bearer ");
        let text = match self {
            Self::Token => format!("refused by a gateway: token {token}"),
            Self::Nothing => "refused by a gateway".to_owned(),
        };
        Err(reqwest_middleware::Error::Middleware(anyhow::Error::new(
            Leaky(text),
        )))
    }
}
