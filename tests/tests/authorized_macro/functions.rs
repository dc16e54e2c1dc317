//! The functions `#[authorized]` wraps, against the sandbox: the scope
//! covers the client it names and that client's clones, not other clients;
//! methods and trait impls name their client with `self`; `?` converts into
//! the function's own error type and `return` leaves the scope; the
//! arguments are evaluated once, at entry, before the body moves parameters.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authorized_api::runtime::JsonValue;
use authorized_api::{Sudo, authorized, server};

use crate::support::{Seen, TestResult, client, me, sandbox};

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
