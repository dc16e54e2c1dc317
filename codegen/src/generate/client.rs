//! The provider marker, the `Client` newtype and one method per endpoint.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Endpoint, PathPart, Provider};
use crate::spec::BodyFormat;

use super::types::{field_type, rust_type};
use super::{Ctx, docs};

pub fn provider_and_client(p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let name = &p.spec.name;
    let auth = &p.spec.auth;
    let sudo = auth
        .sudo
        .as_ref()
        .map(|_| quote!(impl #rt::SupportsSudo for Provider {}));
    let tenant = auth
        .tenant
        .as_ref()
        .map(|_| quote!(impl #rt::SupportsTenant for Provider {}));
    let check = auth.check.as_ref().map(|c| {
        let ty = match &c.response {
            Some(name) => rust_type(&crate::types::Ty::Named(name.clone()), p, cx),
            None => quote!(#rt::JsonValue),
        };
        quote!(impl #rt::HasCheck for Provider { type CheckResponse = #ty; })
    });
    let revoke = auth
        .revoke
        .as_ref()
        .map(|_| quote!(impl #rt::HasRevoke for Provider {}));
    let provider_doc = docs(
        None,
        &format!(
            "The `{name}` provider, as a type: what the runtime and `#[authorized]` are generic over."
        ),
    );
    let client_doc = docs(
        None,
        &format!(
            "A client for `{name}`: cheap to clone, all clones share one token cache.\n\n\
         Build it with [`Client::builder`]. Every request made through it carries a token;\n\
         the runtime's client methods (`get`, `post`, `request`, `token`, …) are reached through `Deref`."
        ),
    );
    let endpoints = p.endpoints.iter().map(|e| endpoint_method(e, p, cx));
    let requests = p.endpoints.iter().filter_map(|e| request_struct(e, p, cx));
    quote! {
        #provider_doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub struct Provider;

        impl #rt::Provider for Provider {
            const DEF: &'static #rt::ProviderDef = &DEF;
            type Client = Client;
        }
        #sudo
        #tenant
        #check
        #revoke

        #client_doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct Client(#rt::Client<Provider>);

        impl Client {
            /// Starts configuring a client: base URL, credentials, timeouts, margins.
            pub fn builder() -> #rt::ClientBuilder<Provider> {
                #rt::ClientBuilder::new()
            }

            #(#endpoints)*
        }

        impl ::core::convert::From<#rt::Client<Provider>> for Client {
            fn from(inner: #rt::Client<Provider>) -> Self {
                Self(inner)
            }
        }

        impl ::core::ops::Deref for Client {
            type Target = #rt::Client<Provider>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl #rt::AuthorizedClient for Client {
            type Provider = Provider;
            fn runtime(&self) -> &#rt::Client<Provider> {
                &self.0
            }
        }

        #(#requests)*
    }
}

fn request_struct(e: &Endpoint, p: &Provider, cx: &Ctx) -> Option<TokenStream> {
    let name = format_ident!("{}", e.request.as_ref()?);
    let doc = docs(None, &format!("The parameters of [`Client::{}`].", e.rust));
    let params = e.path_params.iter().chain(&e.query).map(|f| {
        let ident = format_ident!("{}", f.rust);
        let ty = field_type(f, p, cx);
        let where_ = if e.path_params.iter().any(|pp| pp.wire == f.wire) {
            "path"
        } else {
            "query"
        };
        let doc = docs(
            f.docs.as_deref(),
            &format!("`{}` ({where_} parameter).", f.wire),
        );
        quote! { #doc pub #ident: #ty, }
    });
    let body = e.body.as_ref().map(|(ty, _)| {
        let ty = rust_type(ty, p, cx);
        quote! { #[doc = " The request body."] pub body: #ty, }
    });
    Some(quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub struct #name { #(#params)* #body }
    })
}

fn endpoint_method(e: &Endpoint, p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let name = format_ident!("{}", e.rust);
    let verb = format!("{:?}", e.method).to_uppercase();
    let summary = format!("`{verb} {}`", e.path_text);
    let doc = match &e.docs {
        Some(d) => docs(Some(&format!("{}\n\n{summary}", d.trim_end())), ""),
        None => docs(None, &summary),
    };
    let method = super::def::method(e.method, cx);
    let response = match &e.response {
        Some(ty) => rust_type(ty, p, cx),
        None => quote!(()),
    };
    let pieces: Vec<TokenStream> = e
        .path
        .iter()
        .map(|part| match part {
            PathPart::Text(text) => quote!(#text),
            PathPart::Param(wire) => {
                let field = e
                    .path_params
                    .iter()
                    .find(|f| &f.wire == wire)
                    .map(|f| format_ident!("{}", f.rust));
                quote!(&rt::__private::path_segment(&request.#field))
            }
        })
        .collect();
    let path = match pieces.as_slice() {
        [single] if e.path_params.is_empty() => quote!(#single),
        _ => quote!([#(#pieces),*].concat()),
    };
    let query = e.query.iter().map(|f| {
        let wire = &f.wire;
        let ident = format_ident!("{}", f.rust);
        quote!(.query_value(#wire, &request.#ident))
    });
    let body = e.body.as_ref().map(|(_, format)| match format {
        BodyFormat::Json => quote!(.json(&request.body)),
        BodyFormat::Form => quote!(.form(&request.body)),
    });
    let input = e.request.as_ref().map(|r| {
        let r = format_ident!("{}", r);
        quote!(request: &#r)
    });
    quote! {
        #doc
        pub fn #name(&self, #input) -> #rt::Call<Provider, #response> {
            self.0
                .request(#method, #path)
                #(#query)*
                #body
                .call()
        }
    }
}
