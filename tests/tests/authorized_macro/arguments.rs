//! What the arguments of `#[authorized]` put on the requests made through
//! the client inside the function, against the sandbox: every sudo form and
//! tenant form names its user and tenant, the token goes where the function
//! says, and requests outside the function carry none of it.

use authorized_api::runtime::JsonValue;
use authorized_api::{Sudo, Tenant, authorized, server};
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::support::{Seen, TestResult, client, me, sandbox};

#[authorized(sudo = Sudo::uid(user_id), tenant = Tenant::code("华东-01"))]
async fn as_user_in_east(api: &server::Client, user_id: u64) -> authorized_api::Result<Seen> {
    me(api).await
}

#[tokio::test]
async fn requests_inside_the_function_carry_sudo_and_tenant_and_those_outside_do_not() -> TestResult
{
    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    assert_eq!(me(&api).await?, Seen::APP.header());
    assert_eq!(
        as_user_in_east(&api, 1002).await?,
        Seen::user(1002).in_tenant(2).header()
    );
    assert_eq!(me(&api).await?, Seen::APP.header());
    Ok(())
}

#[tokio::test]
async fn every_sudo_form_names_its_user() -> TestResult {
    #[authorized(sudo = uid(1001))]
    async fn by_uid(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(sudo = login_name(name))]
    async fn by_login_name(api: &server::Client, name: &str) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(sudo = email("a+b@example.com"))]
    async fn by_email(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(sudo = mobile("+8613800000002"))]
    async fn by_mobile(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[allow(deprecated)]
    #[authorized(sudo = username("bob"))]
    async fn by_username(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(sudo = who)]
    async fn by_expression(api: &server::Client, who: Sudo) -> authorized_api::Result<Seen> {
        me(api).await
    }

    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    assert_eq!(by_uid(&api).await?, Seen::user(1001).header());
    assert_eq!(
        by_login_name(&api, "李雷").await?,
        Seen::user(1003).header()
    );
    assert_eq!(by_email(&api).await?, Seen::user(1002).header());
    assert_eq!(by_mobile(&api).await?, Seen::user(1002).header());
    assert_eq!(by_username(&api).await?, Seen::user(1002).header());
    let who = Sudo::login_name("alice");
    assert_eq!(by_expression(&api, who).await?, Seen::user(1001).header());
    Ok(())
}

#[tokio::test]
async fn every_tenant_form_names_its_tenant() -> TestResult {
    #[authorized(tenant_id = id)]
    async fn by_id(api: &server::Client, id: u64) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(tenant_code = "acme")]
    async fn by_code(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }
    #[authorized(sudo = uid(1002), tenant = Tenant::id(2))]
    async fn by_expression(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }

    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    assert_eq!(by_id(&api, 2).await?, Seen::APP.in_tenant(2).header());
    assert_eq!(by_code(&api).await?, Seen::APP.in_tenant(1).header());
    assert_eq!(
        by_expression(&api).await?,
        Seen::user(1002).in_tenant(2).header()
    );
    Ok(())
}

#[tokio::test]
async fn the_token_goes_where_the_function_says_and_only_there() -> TestResult {
    #[authorized(token = query, sudo = uid(1001))]
    async fn in_query(api: &server::Client) -> authorized_api::Result<(Seen, JsonValue)> {
        Ok((me(api).await?, api.get("/api/echo?page=2").send().await?))
    }
    #[authorized(token = header)]
    async fn in_header(api: &server::Client) -> authorized_api::Result<Seen> {
        me(api).await
    }

    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    let (seen, echo) = in_query(&api).await?;
    assert_eq!(seen, Seen::user(1001).query());
    // The echo leaves out the token itself; sudo follows the page parameter.
    assert_eq!(echo["tokenIn"], "query");
    assert_eq!(
        echo["query"],
        serde_json::json!([["page", "2"], ["sudo", "uid:1001"]])
    );
    assert_eq!(in_header(&api).await?, Seen::APP.header());

    let in_query_by_default = server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .token_in(authorized_api::TokenIn::Query)
        .build()?;
    assert_eq!(in_header(&in_query_by_default).await?, Seen::APP.header());
    assert_eq!(me(&in_query_by_default).await?, Seen::APP.query());
    Ok(())
}
