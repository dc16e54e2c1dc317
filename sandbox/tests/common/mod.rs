//! Helpers shared by the behaviour tests: a started sandbox and a client.
#![allow(dead_code)] // Each test file uses its own share of the helpers.

use authorized_sandbox::{
    ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, SandboxConfig,
};
use reqwest::StatusCode;
use serde_json::Value;

pub const HOTEL_TOKEN: &str = "/api/v1.0/invoke/open-ability/method/oauth2/token";
pub const SERVER_TOKEN: &str = "/api/oauth2/server/tokens";
pub const OAUTH2_TOKEN: &str = "/oauth2/token";
pub const OAUTH2_INTROSPECT: &str = "/oauth2/introspect";
pub const OAUTH2_REVOKE: &str = "/oauth2/revoke";

/// The client of RFC 6749's examples: `Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW`
/// is `s6BhdRkqt3:gX1fBat3bV`.
pub const RFC_CLIENT_ID: &str = "s6BhdRkqt3";
pub const RFC_CLIENT_SECRET: &str = "gX1fBat3bV";
pub const RFC_BASIC: &str = "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW";

/// A sandbox that knows the demo client and the RFC examples' client.
pub async fn start_with_rfc_client() -> Fixture {
    let mut config = SandboxConfig::default();
    config
        .clients
        .push(ClientCredentials::new(RFC_CLIENT_ID, RFC_CLIENT_SECRET));
    start_with(config).await
}

/// A running sandbox and a client for it.
pub struct Fixture {
    pub sandbox: RunningSandbox,
    pub http: reqwest::Client,
}

pub async fn start() -> Fixture {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with(config: SandboxConfig) -> Fixture {
    let sandbox = Sandbox::new(config).start().await.expect("start");
    Fixture {
        sandbox,
        http: reqwest::Client::new(),
    }
}

/// Status, headers and parsed JSON body of an answer.
pub async fn json(response: reqwest::Response) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
    (status, headers, body)
}

impl Fixture {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.sandbox.base_url(), path_and_query)
    }

    /// POSTs `form` to the hotel token endpoint.
    pub async fn hotel_token_request(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(HOTEL_TOKEN))
            .form(form)
            .send()
            .await
            .expect("send");
        let (status, _, body) = json(response).await;
        (status, body)
    }

    /// A fresh hotel token pair for the demo client: (access, refresh).
    pub async fn hotel_tokens(&self) -> (String, String) {
        let (status, body) = self
            .hotel_token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", DEMO_CLIENT_ID),
                ("client_secret", DEMO_CLIENT_SECRET),
                ("scope", "hotel"),
            ])
            .await;
        assert_eq!(
            (status, &body["success"]),
            (StatusCode::OK, &Value::Bool(true)),
            "{body}"
        );
        let token = |field: &str| body["result"][field].as_str().expect(field).to_owned();
        (token("access_token"), token("refresh_token"))
    }

    /// Refreshes the demo client's hotel token with `refresh_token`.
    pub async fn hotel_refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        self.hotel_token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    /// GETs the server token endpoint with `query`.
    pub async fn server_token_request(&self, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .http
            .get(self.url(SERVER_TOKEN))
            .query(query)
            .send()
            .await
            .expect("send");
        let (status, _, body) = json(response).await;
        (status, body)
    }

    /// A fresh server access token for the demo client.
    pub async fn server_token(&self) -> String {
        let (status, body) = self
            .server_token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", DEMO_CLIENT_ID),
                ("client_secret", DEMO_CLIENT_SECRET),
            ])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// POSTs the form `body`, written by hand, to `path` with the
    /// `Authorization` header `auth`, if any.
    pub async fn post_form(&self, path: &str, auth: Option<&str>, body: &str) -> reqwest::Response {
        let mut request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned());
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        request.send().await.expect("send")
    }

    /// A fresh OAuth 2.0 access token for the demo client, with `scope`
    /// (all scopes if `None`), authenticated with `client_secret_post`.
    pub async fn oauth2_token(&self, scope: Option<&str>) -> String {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
        ];
        form.extend(scope.map(|scope| ("scope", scope)));
        let response = self
            .http
            .post(self.url(OAUTH2_TOKEN))
            .form(&form)
            .send()
            .await
            .expect("send");
        let (status, _, body) = json(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// GETs `path_and_query` (sent as written) with `token` as a bearer header.
    pub async fn get_with_bearer(
        &self,
        path_and_query: &str,
        token: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let response = self
            .http
            .get(self.url(path_and_query))
            .bearer_auth(token)
            .send()
            .await
            .expect("send");
        json(response).await
    }
}
