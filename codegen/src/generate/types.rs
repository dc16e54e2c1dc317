//! Structs and enums for the spec's `types`, and request structs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Field, Provider, TypeDef, TypeKind};
use crate::types::Ty;

use super::{Ctx, docs};

/// The Rust type for a spec type.
pub fn rust_type(ty: &Ty, p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Secret => quote!(#rt::Secret),
        Ty::Seconds => quote!(#rt::Seconds),
        Ty::Any => quote!(#rt::JsonValue),
        Ty::Array(inner) => {
            let inner = rust_type(inner, p, cx);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner, p, cx);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Named(name) => {
            // Validation guarantees the name resolves.
            let rust = format_ident!("{}", p.rust_type_name(name).unwrap_or(name));
            quote!(#rust)
        }
    }
}

/// The Rust type of a field, `Option<…>` when optional.
pub fn field_type(f: &Field, p: &Provider, cx: &Ctx) -> TokenStream {
    let ty = rust_type(&f.ty, p, cx);
    if f.optional {
        quote!(::core::option::Option<#ty>)
    } else {
        ty
    }
}

pub fn named_type(t: &TypeDef, p: &Provider, cx: &Ctx) -> TokenStream {
    let serde = &cx.serde;
    let serde_path = cx.serde_path_literal();
    let name = format_ident!("{}", t.rust);
    let doc = docs(
        t.docs.as_deref(),
        &format!("The `{}` type of the spec.", t.spec_name),
    );
    match &t.kind {
        TypeKind::Object(fields) => {
            let fields = fields.iter().map(|f| {
                let ident = format_ident!("{}", f.rust);
                let ty = field_type(f, p, cx);
                let doc = docs(f.docs.as_deref(), &format!("`{}`", f.wire));
                let rename = (f.rust != f.wire).then(|| {
                    let wire = &f.wire;
                    quote!(#[serde(rename = #wire)])
                });
                let optional = f.optional.then(|| {
                    quote!(#[serde(default, skip_serializing_if = "::core::option::Option::is_none")])
                });
                quote! { #doc #rename #optional pub #ident: #ty, }
            });
            quote! {
                #doc
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, #serde::Serialize, #serde::Deserialize)]
                #[serde(crate = #serde_path)]
                pub struct #name { #(#fields)* }
            }
        }
        TypeKind::Enum(variants) => {
            let variants = variants.iter().map(|v| {
                let ident = format_ident!("{}", v.rust);
                let wire = &v.wire;
                let doc = docs(v.docs.as_deref(), &format!("`{wire}`"));
                quote! { #doc #[serde(rename = #wire)] #ident, }
            });
            quote! {
                #doc
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, #serde::Serialize, #serde::Deserialize)]
                #[serde(crate = #serde_path)]
                pub enum #name { #(#variants)* }
            }
        }
    }
}
