//! Concurrent and nested `#[authorized]` scopes, against the sandbox: scopes
//! joined on one task or spawned on many, on one shared client, each keep
//! their own identity; a nested function carries exactly its own scope and
//! the caller's comes back after it.

use std::sync::Arc;
use std::time::Duration;

use authorized_api::{authorized, server};
use tokio::sync::Barrier;

use crate::support::{Seen, TestResult, client, me, sandbox};

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
