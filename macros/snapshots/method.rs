// Expansion snapshot; rewrite with UPDATE_SNAPSHOTS=1.

async fn names<'a>(
    &'a self,
    filter: impl Fn(&str) -> bool,
) -> impl Iterator<Item = String> + 'a {
    #![allow(clippy::needless_collect)]
    let __authorized_scope = ::authorized_api::runtime::__private::scope(&self.api);
    let __authorized_scope = ::authorized_api::runtime::__private::ScopeBuilder::sudo(
        ::core::convert::identity(__authorized_scope),
        ::authorized_api::runtime::Sudo::login_name(&self.login),
    );
    let __authorized_scope = ::authorized_api::runtime::__private::ScopeBuilder::tenant(
        ::core::convert::identity(__authorized_scope),
        ::authorized_api::runtime::Tenant::id(2),
    );
    let __authorized_scope = ::authorized_api::runtime::__private::ScopeBuilder::token_in(
        ::core::convert::identity(__authorized_scope),
        ::authorized_api::runtime::TokenIn::Query,
    );
    __authorized_scope
        .run(async move {
            {
                let all: Vec<String> = self
                    .api
                    .get("/api/projects")
                    .send()
                    .await
                    .unwrap_or_default();
                all.into_iter().filter(move |name| filter(name))
            }
        })
        .await
}
