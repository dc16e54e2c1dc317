//! What `#[authorized]` does at run time, against the sandbox: requests made
//! through the client inside the function carry its sudo, tenant and token
//! placement; requests outside it, or through another client, carry none;
//! concurrent and nested scopes each keep their own identity.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use authorized_api::runtime::JsonValue;
use authorized_api::{Sudo, Tenant, authorized, server};
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};
use tokio::sync::Barrier;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

async fn sandbox() -> std::io::Result<RunningSandbox> {
    Sandbox::default().start().await
}

fn client(sandbox: &RunningSandbox) -> authorized_api::Result<server::Client> {
    server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
}

/// Who a request acted as, as `/api/me` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    uid: Option<u64>,
    tenant: Option<u64>,
    token_in: String,
}

impl Seen {
    const APP: Seen = Seen {
        uid: None,
        tenant: None,
        token_in: String::new(),
    };

    fn user(uid: u64) -> Self {
        Self {
            uid: Some(uid),
            ..Self::APP
        }
    }

    fn in_tenant(self, tenant: u64) -> Self {
        Self {
            tenant: Some(tenant),
            ..self
        }
    }

    fn header(self) -> Self {
        Self {
            token_in: "header".into(),
            ..self
        }
    }

    fn query(self) -> Self {
        Self {
            token_in: "query".into(),
            ..self
        }
    }
}

/// `GET /api/me` through `api`, whatever scope is current.
async fn me(api: &server::Client) -> authorized_api::Result<Seen> {
    let me: JsonValue = api.get("/api/me").send().await?;
    Ok(Seen {
        uid: me["user"]["uid"].as_u64(),
        tenant: me["tenant"]["tenantId"].as_u64(),
        token_in: me["tokenIn"].as_str().unwrap_or_default().to_owned(),
    })
}

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

/// Requests as `uid`, meeting the other callers at `barrier` between them:
/// every caller is inside its scope, mid-flight, at the same time.
#[authorized(sudo = uid(uid))]
async fn several_as(
    api: &server::Client,
    uid: u64,
    barrier: &Barrier,
) -> authorized_api::Result<Vec<Seen>> {
    let mut seen = Vec::new();
    for _ in 0..ROUNDS {
        barrier.wait().await;
        seen.push(me(api).await?);
    }
    Ok(seen)
}

/// The same without a scope.
async fn several_as_app(
    api: &server::Client,
    barrier: &Barrier,
) -> authorized_api::Result<Vec<Seen>> {
    let mut seen = Vec::new();
    for _ in 0..ROUNDS {
        barrier.wait().await;
        seen.push(me(api).await?);
    }
    Ok(seen)
}

const ROUNDS: usize = 4;

fn rounds(seen: Seen) -> Vec<Seen> {
    vec![seen; ROUNDS]
}

#[tokio::test]
async fn scopes_joined_on_one_task_on_one_client_each_keep_their_identity() -> TestResult {
    let sandbox = sandbox().await?;
    // Slow answers, so the requests of one round are in flight together.
    sandbox.set_api_latency(Duration::from_millis(10));
    let api = client(&sandbox)?;
    let barrier = Barrier::new(3);
    let (alice, bob, app) = tokio::join!(
        several_as(&api, 1001, &barrier),
        several_as(&api, 1002, &barrier),
        several_as_app(&api, &barrier),
    );
    assert_eq!(alice?, rounds(Seen::user(1001).header()));
    assert_eq!(bob?, rounds(Seen::user(1002).header()));
    assert_eq!(app?, rounds(Seen::APP.header()));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_on_spawned_tasks_on_one_shared_client_each_keep_their_identity() -> TestResult {
    #[authorized(sudo = uid(uid), tenant_id = tenant)]
    async fn owned(
        api: Arc<server::Client>,
        uid: u64,
        tenant: u64,
        barrier: Arc<Barrier>,
    ) -> authorized_api::Result<Vec<Seen>> {
        let mut seen = Vec::new();
        for _ in 0..ROUNDS {
            barrier.wait().await;
            seen.push(me(&api).await?);
        }
        Ok(seen)
    }

    let sandbox = sandbox().await?;
    sandbox.set_api_latency(Duration::from_millis(10));
    let api = Arc::new(client(&sandbox)?);
    let users = [(1001, 1), (1002, 2), (1003, 2), (1002, 1)];
    let tasks = 8;
    let barrier = Arc::new(Barrier::new(tasks + 1));
    let scoped: Vec<_> = (0..tasks)
        .map(|i| {
            let (uid, tenant) = users[i % users.len()];
            let future = owned(Arc::clone(&api), uid, tenant, Arc::clone(&barrier));
            // `tokio::spawn` needs a `Send + 'static` future: the macro's is.
            (uid, tenant, tokio::spawn(future))
        })
        .collect();
    let bare = tokio::spawn({
        let (api, barrier) = (Arc::clone(&api), Arc::clone(&barrier));
        async move { several_as_app(&api, &barrier).await }
    });
    for (uid, tenant, task) in scoped {
        assert_eq!(
            task.await??,
            rounds(Seen::user(uid).in_tenant(tenant).header())
        );
    }
    assert_eq!(bare.await??, rounds(Seen::APP.header()));
    Ok(())
}

#[authorized(sudo = uid(1002), tenant_id = 2)]
async fn inner(api: &server::Client) -> authorized_api::Result<Seen> {
    me(api).await
}

#[authorized(token = query)]
async fn inner_without_sudo(api: &server::Client) -> authorized_api::Result<Seen> {
    me(api).await
}

#[authorized(sudo = uid(1001))]
async fn outer(api: &server::Client) -> authorized_api::Result<Vec<Seen>> {
    Ok(vec![
        me(api).await?,
        inner(api).await?,
        me(api).await?,
        inner_without_sudo(api).await?,
        me(api).await?,
    ])
}

#[tokio::test]
async fn a_nested_function_carries_exactly_its_own_scope_and_the_callers_comes_back() -> TestResult
{
    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    assert_eq!(
        outer(&api).await?,
        [
            Seen::user(1001).header(),
            Seen::user(1002).in_tenant(2).header(),
            Seen::user(1001).header(),
            // The inner scope replaces the outer one for this client: no sudo.
            Seen::APP.query(),
            Seen::user(1001).header(),
        ]
    );
    assert_eq!(me(&api).await?, Seen::APP.header());
    Ok(())
}

#[tokio::test]
async fn the_scope_covers_the_named_client_and_its_clones_not_other_clients() -> TestResult {
    #[authorized(client = scoped, sudo = uid(1001))]
    async fn two_clients(
        scoped: &server::Client,
        other: &server::Client,
    ) -> authorized_api::Result<[Seen; 3]> {
        let clone = scoped.clone();
        Ok([me(scoped).await?, me(&clone).await?, me(other).await?])
    }

    let sandbox = sandbox().await?;
    let scoped = client(&sandbox)?;
    let other = client(&sandbox)?;
    assert_eq!(
        two_clients(&scoped, &other).await?,
        [
            Seen::user(1001).header(),
            Seen::user(1001).header(),
            Seen::APP.header()
        ]
    );
    Ok(())
}

struct Directory {
    api: server::Client,
    login: String,
}

impl Directory {
    #[authorized(client = self.api, sudo = login_name(&self.login), tenant_code = "acme")]
    async fn me(&self) -> authorized_api::Result<Seen> {
        me(&self.api).await
    }

    #[authorized(client = self.api, sudo = uid(uid))]
    async fn into_me(self, uid: u64) -> authorized_api::Result<Seen> {
        let Self { api, .. } = self;
        me(&api).await
    }
}

trait Whoami {
    async fn whoami(&self, uid: u64) -> authorized_api::Result<Seen>;
}

impl Whoami for server::Client {
    #[authorized(client = self, sudo = uid(uid))]
    async fn whoami(&self, uid: u64) -> authorized_api::Result<Seen> {
        me(self).await
    }
}

#[tokio::test]
async fn methods_name_their_client_with_self() -> TestResult {
    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    let directory = Directory {
        api: api.clone(),
        login: "bob".into(),
    };
    assert_eq!(
        directory.me().await?,
        Seen::user(1002).in_tenant(1).header()
    );
    assert_eq!(directory.into_me(1003).await?, Seen::user(1003).header());
    assert_eq!(api.whoami(1001).await?, Seen::user(1001).header());
    Ok(())
}

#[derive(Debug)]
enum AppError {
    Api(authorized_api::Error),
    TooMany,
}

impl From<authorized_api::Error> for AppError {
    fn from(error: authorized_api::Error) -> Self {
        Self::Api(error)
    }
}

#[authorized(sudo = uid(1001))]
async fn fetch(api: &server::Client, path: &str, limit: usize) -> Result<Seen, AppError> {
    if limit == 0 {
        return Err(AppError::TooMany);
    }
    let _: JsonValue = api.get(path).send().await?;
    Ok(me(api).await?)
}

#[tokio::test]
async fn question_mark_converts_into_the_functions_error_and_return_leaves_it() -> TestResult {
    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    assert!(matches!(
        fetch(&api, "/api/me", 0).await,
        Err(AppError::TooMany)
    ));
    assert!(matches!(
        fetch(&api, "/api/nowhere", 1).await,
        Err(AppError::Api(authorized_api::Error::Api {
            status: 404,
            ..
        }))
    ));
    assert_eq!(
        fetch(&api, "/api/me", 1)
            .await
            .map_err(|e| format!("{e:?}"))?,
        Seen::user(1001).header()
    );
    Ok(())
}

/// Counts its calls: the sudo of the test below.
fn next_user(calls: &AtomicUsize) -> Sudo {
    let n = calls.fetch_add(1, Ordering::SeqCst);
    Sudo::uid(1001 + n as u64)
}

#[tokio::test]
async fn arguments_are_evaluated_once_at_entry_before_the_body_moves_parameters() -> TestResult {
    #[authorized(sudo = self::next_user(&calls), tenant_code = &tenant)]
    async fn moves(
        api: server::Client,
        calls: Arc<AtomicUsize>,
        tenant: String,
    ) -> authorized_api::Result<(Vec<Seen>, String)> {
        let owned = tenant;
        drop(calls);
        let seen = vec![me(&api).await?, me(&api).await?];
        drop(api);
        Ok((seen, owned))
    }

    let sandbox = sandbox().await?;
    let api = client(&sandbox)?;
    let calls = Arc::new(AtomicUsize::new(0));
    let (seen, tenant) = moves(api, Arc::clone(&calls), "acme".into()).await?;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(tenant, "acme");
    let alice_in_acme = Seen::user(1001).in_tenant(1).header();
    assert_eq!(seen, [alice_in_acme.clone(), alice_in_acme]);
    Ok(())
}
