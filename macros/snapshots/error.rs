// Expansion snapshot; rewrite with UPDATE_SNAPSHOTS=1.

::core::compile_error! {
    "duplicate argument `sudo`: give it once"
}
async fn me(api: &server::Client) -> authorized_api::Result<Me> {
    api.get("/api/me").send().await
}
