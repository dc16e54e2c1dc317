//! Snapshots of whole expansions, printed with prettyplease. A reviewer sees
//! what the macro emits; `UPDATE_SNAPSHOTS=1 cargo test -p authorized-macros`
//! rewrites them when a change is intended.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::expand;

/// Compares the expansion of `attr` on `item` with `snapshots/<name>.rs`.
fn assert_snapshot(name: &str, attr: TokenStream, item: TokenStream) {
    let expanded = expand(attr, item);
    let file: syn::File = match syn::parse2(expanded.clone()) {
        Ok(file) => file,
        Err(e) => panic!("the expansion is not a file of items ({e}):\n{expanded}"),
    };
    let printed = format!(
        "// Expansion snapshot; rewrite with UPDATE_SNAPSHOTS=1.\n\n{}",
        prettyplease::unparse(&file)
    );
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "snapshots",
        &format!("{name}.rs"),
    ]
    .iter()
    .collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &printed).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == printed,
        "{} is stale; rerun with UPDATE_SNAPSHOTS=1 if the change is intended.\nnow:\n{printed}",
        path.display()
    );
}

#[test]
fn free_function_with_sudo_and_tenant() {
    assert_snapshot(
        "free_function",
        quote!(sudo = Sudo::uid(user_id), tenant = Tenant::code("acme")),
        quote! {
            /// The projects `user_id` sees in tenant `acme`.
            #[must_use = "a future does nothing unless awaited"]
            pub async fn list_projects(api: &server::Client, user_id: u64) -> authorized_api::Result<Vec<Project>> {
                api.get("/api/projects").send().await
            }
        },
    );
}

#[test]
fn method_with_shorthands_and_impl_trait_return() {
    assert_snapshot(
        "method",
        quote!(
            client = self.api,
            sudo = login_name(&self.login),
            tenant_id = 2,
            token = query
        ),
        quote! {
            async fn names<'a>(&'a self, filter: impl Fn(&str) -> bool) -> impl Iterator<Item = String> + 'a {
                #![allow(clippy::needless_collect)]
                let all: Vec<String> = self.api.get("/api/projects").send().await.unwrap_or_default();
                all.into_iter().filter(move |name| filter(name))
            }
        },
    );
}

#[test]
fn an_error_keeps_the_function_unchanged() {
    assert_snapshot(
        "error",
        quote!(sudo = uid(1), sudo = uid(2)),
        quote! {
            async fn me(api: &server::Client) -> authorized_api::Result<Me> {
                api.get("/api/me").send().await
            }
        },
    );
}

#[test]
fn a_client_expression_is_parenthesized_only_when_needed() {
    let expanded = expand(
        quote!(client = any as &server::Client),
        quote!(
            async fn f(any: &Client) {}
        ),
    )
    .to_string();
    assert!(
        expanded.contains("scope (& (any as & server :: Client))"),
        "{expanded}"
    );
    let expanded = expand(
        quote!(client = self.api),
        quote!(
            async fn f(&self) {}
        ),
    )
    .to_string();
    assert!(expanded.contains("scope (& self . api)"), "{expanded}");
}
