//! Turns a validated provider into Rust: one module per provider.

mod answers;
mod client;
mod def;
mod def_docs;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Provider;

/// Settings that shape the output.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// Path to the runtime crate (`::authorized_api::runtime`).
    pub runtime: syn::Path,
    /// Path to serde as re-exported by the runtime.
    pub serde: syn::Path,
}

impl Ctx {
    /// Generated code reaches the runtime through a private `use … as rt;`.
    pub fn new() -> Self {
        Self {
            runtime: syn::parse_quote!(rt),
            serde: syn::parse_quote!(rt::__private::serde),
        }
    }

    /// The serde path as the string `#[serde(crate = "…")]` wants.
    fn serde_path_literal(&self) -> String {
        let serde = &self.serde;
        quote!(#serde).to_string().replace(' ', "")
    }
}

/// The whole module for one provider.
pub(crate) fn provider_module(p: &Provider, runtime: &syn::Path) -> TokenStream {
    let cx = &Ctx::new();
    let module = format_ident!("{}", p.module);
    let doc = docs(
        p.spec.docs.as_deref(),
        &format!("The `{}` provider.", p.spec.name),
    );
    let def = def::provider_def(p, cx);
    let client = client::provider_and_client(p, cx);
    let types = p.types.iter().map(|t| types::named_type(t, p, cx));
    quote! {
        #doc
        pub mod #module {
            use #runtime as rt;

            #client
            #def
            #(#types)*
        }
    }
}

/// `#[doc = …]` lines from spec docs, or a fallback line.
pub(crate) fn docs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback);
    if text.is_empty() {
        return quote!();
    }
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}
