//! A stateful stand-in for the token providers the project talks to:
//! "hotel" (seed document 000) and "server" (seed document 001), written
//! from the vendor documents alone, and "oauth2", a standard OAuth 2.0
//! provider written from the RFCs alone, so it can catch a client's
//! mistakes.
//!
//! ```
//! use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox, SandboxConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::new(SandboxConfig::default()).start().await?;
//! let url = format!("{}/api/v1.0/invoke/open-ability/method/oauth2/token", sandbox.base_url());
//! let answer: serde_json::Value = reqwest::Client::new()
//!     .post(url)
//!     .form(&[
//!         ("grant_type", "client_credentials"),
//!         ("client_id", DEMO_CLIENT_ID),
//!         ("client_secret", DEMO_CLIENT_SECRET),
//!         ("scope", "hotel"),
//!     ])
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(answer["success"], true);
//! assert_eq!(answer["result"]["expires_in"], 7200);
//! assert_eq!(sandbox.stats().hotel.token_client_credentials, 1);
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! What it serves:
//!
//! - hotel: `POST /api/v1.0/invoke/open-ability/method/oauth2/token`
//!   (client credentials, refresh with rotation), `GET /api/v1.0/hotels`,
//!   `GET /api/v1.0/hotels/{hotelId}`;
//! - server: `GET /api/oauth2/server/tokens`, `…/tokens/check`,
//!   `…/tokens/revoke`, and `GET /api/me`, `GET|POST /api/projects`,
//!   `GET /api/echo` with `sudo`, `tenantId` and `tenantCode`;
//! - oauth2 (below): `POST /oauth2/token`, `POST /oauth2/introspect`,
//!   `POST /oauth2/revoke`, `GET /.well-known/oauth-authorization-server/oauth2`,
//!   `GET /oauth2/.well-known/openid-configuration`, and `GET /oauth2/api/me`,
//!   `GET|POST /oauth2/api/reports`;
//! - admin: `GET /__sandbox/stats`, `POST /__sandbox/reset`,
//!   `POST /__sandbox/faults`, `GET|POST /__sandbox/mode`,
//!   `POST /__sandbox/tokens/revoke-all`, `POST /__sandbox/tokens/expire-all`;
//! - anything else: 404 `{"code":40400,"msg":…}`; a known path with the wrong
//!   method: 405.
//!
//! Hotel token failures are HTTP 200 with `success:false`, as such vendors
//! answer; hotel resources answer 400 or 401 in the same envelope. Server
//! failures are `{"code":…,"msg":…}` with a matching HTTP status.
//!
//! The server's demo users and tenants are fixed, chosen to hold the
//! characters clients get wrong (`+`, `@`, `&`, spaces, non-ASCII):
//!
//! | uid  | loginName | email               | mobile           | tenants |
//! |------|-----------|---------------------|------------------|---------|
//! | 1001 | `alice`   | `alice@example.com` | `13800000001`    | 1       |
//! | 1002 | `bob`     | `a+b@example.com`   | `+8613800000002` | 1, 2    |
//! | 1003 | `李雷`    | `lilei@example.cn`  | `13800000003`    | 2       |
//!
//! Tenants: 1 `acme` ("Acme Corp"), 2 `华东-01` ("华东分部"), 3 `r&d lab`
//! ("R&D Lab", no members and so no projects). The client id and secret are
//! [`DEMO_CLIENT_ID`] and [`DEMO_CLIENT_SECRET`].
//!
//! # The OAuth 2.0 provider
//!
//! Every configured client may authenticate with HTTP Basic
//! (`client_secret_basic`, RFC 6749 §2.3.1: client id and secret each
//! form-urlencoded, then base64) or with `client_id` and `client_secret` in
//! the body (`client_secret_post`); a request that uses both is
//! `invalid_request`. Scopes are `read` and `write`; every client may have
//! both.
//!
//! ```
//! use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::default().start().await?;
//! let http = reqwest::Client::new();
//! let answer: serde_json::Value = http
//!     .post(format!("{}/oauth2/token", sandbox.base_url()))
//!     .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET)) // nothing to form-encode here
//!     .form(&[("grant_type", "client_credentials"), ("scope", "read")])
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!((&answer["token_type"], &answer["scope"]), (&"Bearer".into(), &"read".into()));
//! let token = answer["access_token"].as_str().unwrap();
//! let me = http
//!     .get(format!("{}/oauth2/api/me", sandbox.base_url()))
//!     .bearer_auth(token)
//!     .send()
//!     .await?;
//! assert_eq!(me.status(), 200);
//! assert_eq!(sandbox.stats().oauth2.token_auth_basic, 1);
//! # Ok(())
//! # }
//! ```
//!
//! - `POST /oauth2/token`, form `grant_type=client_credentials` and optional
//!   `scope`: 200 `{"access_token":"oat_…","token_type":"Bearer",
//!   "expires_in":N,"scope":"…"}` with `Cache-Control: no-store` and
//!   `Pragma: no-cache`. `scope` is always in the answer: what was asked,
//!   once each, or `read write` when nothing was. No refresh tokens (RFC
//!   6749 §4.4.3), so `grant_type=refresh_token` is `unsupported_grant_type`.
//!   Errors are `{"error":…,"error_description":…}` with the same headers:
//!   `invalid_request` (400: a parameter missing or repeated, two
//!   authentication methods, credentials in the URI, not a form),
//!   `invalid_client` (401 with `WWW-Authenticate: Basic realm="sandbox"`
//!   when the `Authorization` header was used or no credentials were sent
//!   at all, else 400), `unsupported_grant_type` and `invalid_scope` (400).
//! - `POST /oauth2/introspect` (RFC 7662), form `token` and optional
//!   `token_type_hint`, client authentication required: 200
//!   `{"active":true,"scope","client_id","token_type":"Bearer","exp","iat"}`
//!   or `{"active":false}` for a token that is unknown, expired or revoked.
//!   Any authenticated client may introspect any token.
//! - `POST /oauth2/revoke` (RFC 7009), form `token` and optional
//!   `token_type_hint` (ignored), client authentication required: 200 with
//!   an empty body, whether or not there was a token to revoke. Another
//!   client's token is left alone, still 200 (counted `revoke_foreign`).
//! - Metadata (RFC 8414) with `issuer` = `http://<Host>/oauth2`, the three
//!   endpoints, their auth methods, `grant_types_supported`,
//!   `response_types_supported` (empty) and `scopes_supported`.
//! - `GET /oauth2/api/me` (any scope) answers `{"client_id","scope",
//!   "token_in"}`; `GET /oauth2/api/reports` needs `read`, `POST
//!   /oauth2/api/reports` with `{"title":…}` needs `write` (201). The token
//!   goes in `Authorization: Bearer …` or `?access_token=…` (RFC 6750 §2.1,
//!   §2.3), not both (400 `invalid_request`). Refusals carry
//!   `WWW-Authenticate: Bearer realm="sandbox"`: without an `error` when no
//!   token was sent (401, empty body), `error="invalid_token"` for an
//!   unknown, expired or revoked one (401), `error="insufficient_scope",
//!   scope="…"` (403), `error="invalid_request"` for a malformed one (400).
//!
//! # Knobs
//!
//! - Faults ([`Sandbox::fail_next_token_requests`], latencies, or
//!   `POST /__sandbox/faults`) apply to all three token endpoints.
//! - [`SandboxConfig::new_token_revokes_earlier`], switched at run time with
//!   [`Sandbox::set_new_token_revokes_earlier`] or `POST /__sandbox/mode`
//!   `{"new_token_revokes_earlier":true}` (`GET` reads it; a reset puts it
//!   back as configured): each access token issued revokes every earlier
//!   access token of the same client at the same provider, as vendors such
//!   as WeChat do. Calls refused with such a token count as
//!   `api_superseded` in [`Stats`].
//! - Hotel refresh tokens are good once; presenting one that was already
//!   used is answered `invalid_grant` like an unknown one, and counted as
//!   `hotel.refresh_token_reused` (unknown ones as `refresh_token_invalid`).
//! - [`Sandbox::stats`] and `GET /__sandbox/stats` give the same [`Stats`],
//!   so tests in other processes read the same counts; [`Stats::since`]
//!   tells what one scenario cost.
//!
//! Tokens are random opaque strings (`hat_`, `hrt_`, `sat_`, `oat_` and 32
//! hex digits) from a fast non-cryptographic generator: this is a sandbox,
//! never a production server.
//!
//! Expiry follows [`tokio::time::Instant`] and injected latency sleeps on
//! tokio's timer, so a test can `tokio::time::pause()` the clock and
//! `advance` it past a token's lifetime instead of sleeping. Introspection's
//! `exp` and `iat` are Unix seconds read off the same clock.

mod admin;
mod config;
mod directory;
mod hotel;
mod oauth2;
mod request;
mod running;
mod sandbox;
mod server;
mod state;

pub use config::{ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};
pub use running::RunningSandbox;
pub use sandbox::Sandbox;
pub use state::faults::{FailureBody, TokenFailure};
pub use state::stats::{HotelStats, OAuth2Stats, ServerStats, Stats};
