//! What the request tests of this binary share: the credentials of their
//! clients, a server client pointed at an `httpmock` server, and that
//! server's token endpoint.

use authorized_api::server;
use httpmock::prelude::*;
use serde_json::json;

pub const ID: &str = "client-7";
pub const SECRET: &str = "secret-7f3a9c1d";

/// A server client for `mock` with [`ID`] and [`SECRET`] and a cache of its own.
pub async fn server_client(mock: &MockServer) -> server::Client {
    server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// The server token endpoint, answering `token` (expires_in as a string).
pub async fn server_token<'a>(mock: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    mock.mock_async(|when, then| {
        when.method(GET)
            .path("/api/oauth2/server/tokens")
            .query_param("grant_type", "client_credentials")
            .query_param("client_id", ID)
            .query_param("client_secret", SECRET);
        then.status(200).json_body(json!({
            "access_token": token, "token_type": "bearer", "expires_in": "7200", "scope": "sudo"
        }));
    })
    .await
}
