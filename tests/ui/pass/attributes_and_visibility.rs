//! Doc comments, other attributes (outer and inner) and visibility are kept:
//! `missing_docs` is denied and the functions are called from outside their
//! module.
#![deny(warnings, missing_docs)]

/// The functions under test.
pub mod api {
    use authorized_api::runtime::JsonValue;
    use authorized_api::{Result, authorized, server};

    /// Documented, public.
    #[must_use = "the future does nothing unless awaited"]
    #[authorized(sudo = uid(1001))]
    #[inline]
    pub async fn documented(api: &server::Client) -> Result<JsonValue> {
        #![allow(clippy::needless_return)]
        return api.get("/api/me").send().await;
    }

    /// Visible in the crate only.
    #[authorized(sudo = uid(1001))]
    pub(crate) async fn crate_visible(api: &server::Client) -> Result<JsonValue> {
        api.get("/api/me").send().await
    }

    /// Only with a cfg that holds.
    #[cfg(not(any()))]
    #[authorized(sudo = uid(1001))]
    pub async fn configured(api: &server::Client) -> Result<JsonValue> {
        api.get("/api/me").send().await
    }

    /// A parameter with its own attribute.
    #[authorized(sudo = uid(1001))]
    pub async fn attributed_parameter(
        api: &server::Client,
        #[allow(unused_variables)] unused: u8,
    ) -> Result<JsonValue> {
        api.get("/api/me").send().await
    }
}

fn main() {
    let _ = (
        api::documented,
        api::crate_visible,
        api::configured,
        api::attributed_parameter,
    );
}
