//! A stateful stand-in for the two token providers the project talks to:
//! "hotel" (seed document 000) and "server" (seed document 001), written
//! from the vendor documents alone so it can catch a client's mistakes.
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
//! - admin: `GET /__sandbox/stats`, `POST /__sandbox/reset`,
//!   `POST /__sandbox/faults`, `POST /__sandbox/tokens/revoke-all`,
//!   `POST /__sandbox/tokens/expire-all`;
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
//! Tokens are random opaque strings (`hat_`, `hrt_`, `sat_` and 32 hex
//! digits) from a fast non-cryptographic generator: this is a sandbox, never
//! a production server.
//!
//! Expiry follows [`tokio::time::Instant`] and injected latency sleeps on
//! tokio's timer, so a test can `tokio::time::pause()` the clock and
//! `advance` it past a token's lifetime instead of sleeping.

mod admin;
mod config;
mod directory;
mod hotel;
mod request;
mod running;
mod sandbox;
mod server;
mod state;

pub use config::{ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};
pub use running::RunningSandbox;
pub use sandbox::Sandbox;
pub use state::faults::{FailureBody, TokenFailure};
pub use state::stats::{HotelStats, ServerStats, Stats};
