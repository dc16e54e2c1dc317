//! Who is calling a protected server resource: the client behind the token,
//! and the user (`sudo`) and tenant (`tenantId` / `tenantCode`) it acts for.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::time::Instant;

use super::ServerError;
use crate::Sandbox;
use crate::directory::{Tenant, User, UserKey, find_user, tenant_by_code, tenant_by_id};
use crate::request::{Pairs, Presented, TokenIn, decimal, decode_pairs, presented_token, single};
use crate::state::stats::Counter;
use crate::state::tokens::{Refusal, TokenKind};

/// A call with a good server access token.
///
/// Extracting it counts the call, waits the API latency, and rejects a token
/// sent both in the header and the query (400 / 40005) or no good token
/// (401 / 40100).
#[derive(Debug)]
pub(crate) struct Caller {
    pub client_id: String,
    pub token_in: TokenIn,
    /// Every decoded query pair, in order.
    pub query: Pairs,
}

impl FromRequestParts<Sandbox> for Caller {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, ServerError> {
        let state = sandbox.state();
        state.counters.bump(Counter::ServerApiCalls);
        state.faults.api_delay().await;
        let query = decode_pairs(parts.uri.query().unwrap_or_default().as_bytes());
        let grant = match presented_token(&parts.headers, &query) {
            Presented::Ambiguous => return Err(ServerError::two_tokens()),
            Presented::Token(token, token_in) => state
                .tokens
                .lookup(&token, TokenKind::ServerAccess, Instant::now())
                .map(|grant| (grant.client_id, token_in)),
            Presented::Nothing => Err(Refusal::Unknown),
        };
        let (client_id, token_in) = grant.map_err(|refusal| {
            state.counters.bump(Counter::ServerApiUnauthorized);
            if refusal == Refusal::Superseded {
                state.counters.bump(Counter::ServerApiSuperseded);
            }
            ServerError::invalid_token()
        })?;
        if query.iter().any(|(name, _)| name == "sudo") {
            state.counters.bump(Counter::ServerSudoCalls);
        }
        Ok(Self {
            client_id,
            token_in,
            query,
        })
    }
}

/// A [`Caller`] with its `sudo` user and tenant resolved.
#[derive(Debug)]
pub(crate) struct Acting {
    pub caller: Caller,
    pub user: Option<&'static User>,
    pub tenant: Option<&'static Tenant>,
    /// The user was named with the deprecated `username:` form.
    deprecated_sudo: bool,
}

impl FromRequestParts<Sandbox> for Acting {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, ServerError> {
        let caller = Caller::from_request_parts(parts, sandbox).await?;
        let sudo = single(&caller.query, "sudo")
            .map_err(|_| ServerError::bad_sudo("sent more than once"))?;
        let (user, deprecated_sudo) = match sudo {
            Some(sudo) => sudo_user(sudo).map(|(user, deprecated)| (Some(user), deprecated))?,
            None => (None, false),
        };
        let tenant = tenant(&caller.query)?;
        if let (Some(user), Some(tenant)) = (user, tenant)
            && !user.tenants.contains(&tenant.tenant_id)
        {
            return Err(ServerError::not_a_member(user.uid, tenant.tenant_code));
        }
        Ok(Self {
            caller,
            user,
            tenant,
            deprecated_sudo,
        })
    }
}

impl Acting {
    /// An answer, marked `Deprecation: true` if the call used `username:`.
    pub fn reply(&self, status: StatusCode, body: impl Serialize) -> Response {
        let mut response = (status, Json(body)).into_response();
        if self.deprecated_sudo {
            let headers = response.headers_mut();
            headers.insert(
                HeaderName::from_static("deprecation"),
                HeaderValue::from_static("true"),
            );
        }
        response
    }
}

/// The user a `sudo` value names, and whether it used the deprecated form.
/// The form ends at the first colon: the value may hold colons.
fn sudo_user(sudo: &str) -> Result<(&'static User, bool), ServerError> {
    let (form, value) = sudo
        .split_once(':')
        .ok_or_else(|| ServerError::bad_sudo("expected <form>:<value>"))?;
    if value.is_empty() {
        return Err(ServerError::bad_sudo(format!("empty value for {form}")));
    }
    let (key, deprecated) = match form {
        "uid" => {
            let uid =
                decimal(value).ok_or_else(|| ServerError::bad_sudo("uid must be an integer"))?;
            (UserKey::Uid(uid), false)
        }
        "loginName" => (UserKey::LoginName(value), false),
        "username" => (UserKey::LoginName(value), true),
        "email" => (UserKey::Email(value), false),
        "mobile" => (UserKey::Mobile(value), false),
        _ => {
            let detail = format!("unknown form {form:?}: use uid, loginName, email or mobile");
            return Err(ServerError::bad_sudo(detail));
        }
    };
    let user = find_user(key).ok_or_else(|| ServerError::no_such_user(form, value))?;
    Ok((user, deprecated))
}

/// The tenant named by `tenantId` or `tenantCode`, if either.
fn tenant(query: &Pairs) -> Result<Option<&'static Tenant>, ServerError> {
    let id = single(query, "tenantId").map_err(|_| ServerError::missing_or_repeated("tenantId"))?;
    let code =
        single(query, "tenantCode").map_err(|_| ServerError::missing_or_repeated("tenantCode"))?;
    match (id, code) {
        (Some(_), Some(_)) => Err(ServerError::two_tenants()),
        (Some(id), None) => {
            let id = decimal(id)
                .ok_or_else(|| ServerError::bad_request("tenantId must be an integer"))?;
            let tenant = tenant_by_id(id)
                .ok_or_else(|| ServerError::no_such_tenant(format!("tenantId {id}")));
            tenant.map(Some)
        }
        (None, Some("")) => Err(ServerError::missing_or_repeated("tenantCode")),
        (None, Some(code)) => {
            let tenant = tenant_by_code(code)
                .ok_or_else(|| ServerError::no_such_tenant(format!("tenantCode {code:?}")));
            tenant.map(Some)
        }
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid(sudo: &str) -> Result<(u64, bool), u32> {
        sudo_user(sudo)
            .map(|(u, d)| (u.uid, d))
            .map_err(|e| e.code())
    }

    #[test]
    fn every_sudo_form_finds_its_user() {
        assert_eq!(uid("uid:1001"), Ok((1001, false)));
        assert_eq!(uid("loginName:李雷"), Ok((1003, false)));
        assert_eq!(uid("username:bob"), Ok((1002, true)));
        assert_eq!(uid("email:a+b@example.com"), Ok((1002, false)));
        assert_eq!(uid("mobile:+8613800000002"), Ok((1002, false)));
    }

    #[test]
    fn the_form_ends_at_the_first_colon() {
        assert_eq!(uid("loginName:bob:extra"), Err(40401));
        assert_eq!(uid("nick:bob"), Err(40003));
        assert_eq!(uid("LoginName:bob"), Err(40003));
    }

    #[test]
    fn malformed_sudo_values_are_400_and_strangers_404() {
        assert_eq!(uid("bob"), Err(40003));
        assert_eq!(uid("email:"), Err(40003));
        assert_eq!(uid("uid:+1001"), Err(40003));
        assert_eq!(uid("uid:9999"), Err(40401));
        assert_eq!(uid("email:a b@example.com"), Err(40401));
    }

    #[test]
    fn tenants_by_id_or_code_but_not_both() {
        let code = |q: &str| {
            tenant(&decode_pairs(q.as_bytes()))
                .map(|t| t.map(|t| t.tenant_id))
                .map_err(|e| e.code())
        };
        assert_eq!(code(""), Ok(None));
        assert_eq!(code("tenantId=2"), Ok(Some(2)));
        assert_eq!(code("tenantCode=r%26d+lab"), Ok(Some(3)));
        assert_eq!(code("tenantId=1&tenantCode=acme"), Err(40004));
        assert_eq!(code("tenantId=x"), Err(40000));
        assert_eq!(code("tenantId=9"), Err(40402));
        assert_eq!(code("tenantCode=r&d lab"), Err(40402));
    }
}
