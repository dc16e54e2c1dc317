//! What the `#[authorized]` tests of this binary share: a sandbox, a client
//! for it with a cache of its own, and [`Seen`], who a request acted as
//! according to the sandbox's `/api/me`.

use authorized_api::runtime::JsonValue;
use authorized_api::server;
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};

/// What a test returns: any error on the way fails it.
pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The sandbox, as configured by default, on loopback.
pub async fn sandbox() -> std::io::Result<RunningSandbox> {
    Sandbox::default().start().await
}

/// A server client for `sandbox` with the demo credentials and a cache of its own.
pub fn client(sandbox: &RunningSandbox) -> authorized_api::Result<server::Client> {
    server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
}

/// Who a request acted as, as `/api/me` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    uid: Option<u64>,
    tenant: Option<u64>,
    token_in: String,
}

impl Seen {
    pub const APP: Seen = Seen {
        uid: None,
        tenant: None,
        token_in: String::new(),
    };

    pub fn user(uid: u64) -> Self {
        Self {
            uid: Some(uid),
            ..Self::APP
        }
    }

    pub fn in_tenant(self, tenant: u64) -> Self {
        Self {
            tenant: Some(tenant),
            ..self
        }
    }

    pub fn header(self) -> Self {
        Self {
            token_in: "header".into(),
            ..self
        }
    }

    pub fn query(self) -> Self {
        Self {
            token_in: "query".into(),
            ..self
        }
    }
}

/// `GET /api/me` through `api`, whatever scope is current.
pub async fn me(api: &server::Client) -> authorized_api::Result<Seen> {
    let me: JsonValue = api.get("/api/me").send().await?;
    Ok(Seen {
        uid: me["user"]["uid"].as_u64(),
        tenant: me["tenant"]["tenantId"].as_u64(),
        token_in: me["tokenIn"].as_str().unwrap_or_default().to_owned(),
    })
}
