// Expansion snapshot; rewrite with UPDATE_SNAPSHOTS=1.

/// The projects `user_id` sees in tenant `acme`.
#[must_use = "a future does nothing unless awaited"]
pub async fn list_projects(
    api: &server::Client,
    user_id: u64,
) -> authorized_api::Result<Vec<Project>> {
    let __authorized_scope = ::authorized_api::runtime::__private::scope(&api);
    let __authorized_scope = ::authorized_api::runtime::__private::ScopeBuilder::sudo(
        ::core::convert::identity(__authorized_scope),
        Sudo::uid(user_id),
    );
    let __authorized_scope = ::authorized_api::runtime::__private::ScopeBuilder::tenant(
        ::core::convert::identity(__authorized_scope),
        Tenant::code("acme"),
    );
    __authorized_scope
        .run(async move {
            #[allow(
                unreachable_code,
                clippy::diverging_sub_expression,
                clippy::empty_loop,
                clippy::let_unit_value,
                clippy::needless_return
            )]
            if false {
                let __authorized_output: authorized_api::Result<Vec<Project>> = loop {};
                return __authorized_output;
            }
            { api.get("/api/projects").send().await }
        })
        .await
}
