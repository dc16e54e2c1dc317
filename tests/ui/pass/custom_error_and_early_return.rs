//! A return type `Result<T, E>` with `E: From<authorized_api::Error>`: `?`
//! converts into `E` and `return` leaves the function, inside the scope as
//! outside it.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{authorized, server};

#[derive(Debug)]
enum AppError {
    Api(authorized_api::Error),
    NotFound,
}

impl From<authorized_api::Error> for AppError {
    fn from(error: authorized_api::Error) -> Self {
        Self::Api(error)
    }
}

#[authorized(sudo = uid(uid))]
async fn project_name(api: &server::Client, uid: u64, index: usize) -> Result<String, AppError> {
    if index > 100 {
        return Err(AppError::NotFound);
    }
    let projects: Vec<JsonValue> = api.get("/api/projects").send().await?;
    let name = projects.get(index).ok_or(AppError::NotFound)?["name"].as_str();
    match name {
        Some(name) => Ok(name.to_owned()),
        None => Err(AppError::NotFound),
    }
}

/// `?` on an `Option` in a function returning `Option`.
#[authorized(sudo = uid(1001))]
async fn maybe(api: &server::Client) -> Option<u64> {
    let me: JsonValue = api.get("/api/me").send().await.ok()?;
    me["user"]["uid"].as_u64()
}

/// A boxed error.
#[authorized(sudo = uid(1001))]
async fn boxed(
    api: &server::Client,
) -> Result<JsonValue, Box<dyn std::error::Error + Send + Sync>> {
    let me = api.get("/api/me").send().await?;
    Ok(me)
}

/// No return type.
#[authorized(sudo = uid(1001))]
async fn unit(api: &server::Client) {
    if api.get("/api/me").send::<JsonValue>().await.is_err() {
        return;
    }
}

fn main() {
    let _ = (project_name, maybe, boxed, unit);
    let _ = AppError::Api;
    let _ = format!("{:?}", AppError::NotFound);
}
