//! `sudo = <expr of type Sudo>` and every shorthand.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, Sudo, authorized, server};

#[authorized(sudo = uid(uid))]
async fn by_uid(api: &server::Client, uid: u64) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = login_name("bob"))]
async fn by_login_name(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = email(email))]
async fn by_email(api: &server::Client, email: &str) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = mobile(mobile.to_owned()))]
async fn by_mobile(api: &server::Client, mobile: &str) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

/// `username` is deprecated: allowed here, it compiles.
#[allow(deprecated)]
#[authorized(sudo = username("bob"))]
async fn by_username(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = who.clone())]
async fn by_value(api: &server::Client, who: &Sudo) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

fn acting_as(uid: u64) -> Sudo {
    Sudo::uid(uid)
}

/// A function of the user's, named by path, is not a shorthand.
#[authorized(sudo = self::acting_as(uid))]
async fn by_path(api: &server::Client, uid: u64) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

/// Nor is a block.
#[authorized(sudo = { let uid = uid + 1; acting_as(uid) })]
async fn by_block(api: &server::Client, uid: u64) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

fn main() {
    let _ = (
        by_uid,
        by_login_name,
        by_email,
        by_mobile,
        by_username,
        by_value,
        by_path,
        by_block,
    );
}
