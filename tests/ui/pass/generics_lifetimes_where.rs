//! Generic parameters, lifetimes, `impl Trait` arguments and return types,
//! and `where` clauses are kept as written.
#![deny(warnings)]

use std::fmt::Display;

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, authorized, server};

#[authorized(sudo = uid(uid), tenant_code = code)]
async fn generic_arguments<U, C>(api: &server::Client, uid: U, code: C) -> Result<JsonValue>
where
    U: Display + Send,
    C: Into<String> + Send,
{
    api.get("/api/projects").send().await
}

#[authorized(sudo = login_name(login))]
async fn with_lifetimes<'a, 'b: 'a>(api: &'a server::Client, login: &'b str) -> Result<&'b str> {
    api.get("/api/me").send::<JsonValue>().await?;
    Ok(login)
}

#[authorized(sudo = uid(1001))]
async fn elided_lifetime<'a>(api: &server::Client, names: &'a [String]) -> Result<&'a str> {
    api.get("/api/me").send::<JsonValue>().await?;
    Ok(&names[0])
}

#[authorized(sudo = email(email.to_string()))]
async fn impl_trait_arguments(
    api: &server::Client,
    email: impl Display,
    mut on_answer: impl FnMut(&JsonValue),
) -> Result<()> {
    let answer = api.get("/api/me").send().await?;
    on_answer(&answer);
    Ok(())
}

#[authorized(sudo = uid(1001))]
async fn impl_trait_return(api: &server::Client) -> impl Iterator<Item = String> {
    let projects: Vec<JsonValue> = api.get("/api/projects").send().await.unwrap_or_default();
    projects.into_iter().map(|p| p["name"].to_string())
}

#[authorized(sudo = uid(1001))]
async fn const_generic<const N: usize>(api: &server::Client) -> Result<[JsonValue; N]> {
    let first: JsonValue = api.get("/api/me").send().await?;
    Ok(std::array::from_fn(|_| first.clone()))
}

fn main() {
    let _ = generic_arguments::<u64, &str>;
    let _ = (
        with_lifetimes,
        elided_lifetime,
        impl_trait_return,
        const_generic::<2>,
    );
    let _ = |api: &'static server::Client| impl_trait_arguments(api, 1001, |_| {});
}
