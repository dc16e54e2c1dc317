//! The `DEF` static: the provider's definition as runtime data.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Provider;
use crate::spec::{EnvelopeUse, Method, ParamKind, ParamsIn, TokenIn};

use super::Ctx;

pub fn provider_def(p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let spec = &p.spec;
    let auth = &spec.auth;
    let name = &spec.name;
    let token = &auth.token;

    let token_def = {
        let method = method(token.method, cx);
        let path = &token.path;
        let params_in = params_in(token.params_in, cx);
        let headers = pairs(token.headers.iter());
        let constants = pairs(token.constants.iter());
        let client_id = &token.client_id;
        let client_secret = &token.client_secret;
        let optional = token.optional.iter().map(|(name, o)| {
            let kind = match o.kind {
                ParamKind::Integer => quote!(#rt::ParamKind::Integer),
                ParamKind::String => quote!(#rt::ParamKind::String),
            };
            let on_refresh = o.on_refresh;
            quote!(#rt::OptionalParam { name: #name, kind: #kind, on_refresh: #on_refresh })
        });
        let enveloped = token.enveloped;
        let r = &token.response;
        let access = &r.access_token;
        let refresh = opt_str(r.refresh_token.as_deref());
        let expires = &r.expires_in;
        let lifetime = match r.default_lifetime {
            Some(secs) => quote!(::core::option::Option::Some(#secs)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #rt::TokenEndpoint {
                method: #method,
                path: #path,
                params_in: #params_in,
                headers: &[#(#headers),*],
                constants: &[#(#constants),*],
                client_id_param: #client_id,
                client_secret_param: #client_secret,
                optional_params: &[#(#optional),*],
                enveloped: #enveloped,
                fields: #rt::TokenFields {
                    access_token: #access,
                    refresh_token: #refresh,
                    expires_in: #expires,
                    default_lifetime_secs: #lifetime,
                },
            }
        }
    };

    let refresh = some_or_none(auth.refresh.as_ref().map(|r| {
        let constants = pairs(r.constants.iter());
        let param = &r.refresh_token;
        quote!(#rt::RefreshGrant { constants: &[#(#constants),*], refresh_token_param: #param })
    }));

    let token_call = |method_: Method,
                      path: &str,
                      pin: ParamsIn,
                      headers: &crate::map::Map<String>,
                      param: &str,
                      env: bool| {
        let method = method(method_, cx);
        let params_in = params_in(pin, cx);
        let headers = pairs(headers.iter());
        quote! {
            #rt::TokenCall {
                method: #method,
                path: #path,
                params_in: #params_in,
                headers: &[#(#headers),*],
                token_param: #param,
                enveloped: #env,
            }
        }
    };
    let check = some_or_none(auth.check.as_ref().map(|c| {
        token_call(
            c.method,
            &c.path,
            c.params_in,
            &c.headers,
            &c.token_param,
            c.enveloped,
        )
    }));
    let revoke = some_or_none(auth.revoke.as_ref().map(|r| {
        let call = token_call(r.method, &r.path, r.params_in, &r.headers, &r.token_param, r.enveloped);
        let code = &r.success.field;
        let equals = r.success.equals;
        let message = opt_str(r.message.as_deref());
        quote! {
            #rt::RevokeCall { call: #call, code_field: #code, success_code: #equals, message_field: #message }
        }
    }));

    let placement = {
        let pl = &auth.placement;
        let header = some_or_none(pl.header.as_ref().map(|h| {
            let name = &h.name;
            let scheme = opt_str(h.scheme.as_deref());
            quote!(#rt::HeaderPlacement { name: #name, scheme: #scheme })
        }));
        let query = opt_str(pl.query.as_deref());
        let default = match pl.default {
            TokenIn::Header => quote!(#rt::TokenIn::Header),
            TokenIn::Query => quote!(#rt::TokenIn::Query),
        };
        quote!(#rt::Placement { header: #header, query: #query, default: #default })
    };

    let sudo = some_or_none(auth.sudo.as_ref().map(|s| {
        let param = &s.param;
        let forms = s
            .forms
            .iter()
            .map(|f| (f, false))
            .chain(s.deprecated.iter().map(|f| (f, true)))
            .map(|((key, prefix), deprecated)| {
                let kind = sudo_kind(key, cx);
                quote!(#rt::SudoForm { kind: #kind, prefix: #prefix, deprecated: #deprecated })
            });
        quote!(#rt::SudoDef { param: #param, forms: &[#(#forms),*] })
    }));
    let tenant = some_or_none(auth.tenant.as_ref().map(|t| {
        let id = opt_str(t.id.as_deref());
        let code = opt_str(t.code.as_deref());
        quote!(#rt::TenantDef { id_param: #id, code_param: #code })
    }));
    let invalid = {
        let statuses = &auth.invalid_token.status;
        let codes = auth.invalid_token.codes.iter().map(|c| &c.0);
        quote!(#rt::InvalidTokenSignal { statuses: &[#(#statuses),*], codes: &[#(#codes),*] })
    };
    let api_envelope = match spec.api.envelope {
        EnvelopeUse::None => quote!(#rt::EnvelopeUse::None),
        EnvelopeUse::Always => quote!(#rt::EnvelopeUse::Always),
        EnvelopeUse::Detect => quote!(#rt::EnvelopeUse::Detect),
    };
    let envelope = some_or_none(spec.envelope.as_ref().map(|e| {
        let success = &e.success;
        let result = &e.result;
        let timestamp = opt_str(e.timestamp.as_deref());
        let codes = &e.code_fields;
        let messages = &e.message_fields;
        quote! {
            #rt::Envelope {
                success: #success,
                result: #result,
                timestamp: #timestamp,
                code_fields: &[#(#codes),*],
                message_fields: &[#(#messages),*],
            }
        }
    }));
    let doc = super::docs(Some(&auth_docs(p)), "");
    quote! {
        #doc
        pub static DEF: #rt::ProviderDef = #rt::ProviderDef {
            name: #name,
            token: #token_def,
            refresh: #refresh,
            check: #check,
            revoke: #revoke,
            placement: #placement,
            sudo: #sudo,
            tenant: #tenant,
            invalid_token: #invalid,
            api_envelope: #api_envelope,
            envelope: #envelope,
        };
    }
}

pub fn method(m: Method, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    match m {
        Method::Get => quote!(#rt::HttpMethod::Get),
        Method::Post => quote!(#rt::HttpMethod::Post),
        Method::Put => quote!(#rt::HttpMethod::Put),
        Method::Patch => quote!(#rt::HttpMethod::Patch),
        Method::Delete => quote!(#rt::HttpMethod::Delete),
    }
}

fn params_in(p: ParamsIn, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    match p {
        ParamsIn::Query => quote!(#rt::ParamsIn::Query),
        ParamsIn::Form => quote!(#rt::ParamsIn::Form),
        ParamsIn::Json => quote!(#rt::ParamsIn::Json),
    }
}

fn sudo_kind(key: &str, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    match key {
        "uid" => quote!(#rt::SudoKind::Uid),
        "login_name" => quote!(#rt::SudoKind::LoginName),
        "email" => quote!(#rt::SudoKind::Email),
        "mobile" => quote!(#rt::SudoKind::Mobile),
        _ => quote!(#rt::SudoKind::Username),
    }
}

fn pairs<'a>(items: impl Iterator<Item = (&'a str, &'a String)>) -> Vec<TokenStream> {
    items.map(|(k, v)| quote!((#k, #v))).collect()
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn some_or_none(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The docs of `DEF`: each auth call with its method, path and spec docs.
fn auth_docs(p: &Provider) -> String {
    let auth = &p.spec.auth;
    let mut text = format!(
        "What the runtime knows about `{}`: its spec as data.\n\n",
        p.spec.name
    );
    let mut line = |what: &str, m: Method, path: &str, docs: Option<&str>| {
        let verb = format!("{m:?}").to_uppercase();
        let docs = docs
            .map(|d| format!(": {}", d.trim().replace('\n', " ")))
            .unwrap_or_default();
        text.push_str(&format!("- {what}: `{verb} {path}`{docs}\n"));
    };
    let token = &auth.token;
    line("token", token.method, &token.path, token.docs.as_deref());
    if let Some(r) = &auth.refresh {
        line("refresh", token.method, &token.path, r.docs.as_deref());
    }
    if let Some(c) = &auth.check {
        line("check", c.method, &c.path, c.docs.as_deref());
    }
    if let Some(r) = &auth.revoke {
        line("revoke", r.method, &r.path, r.docs.as_deref());
    }
    for (name, o) in token.optional.iter() {
        let docs = o
            .docs
            .as_deref()
            .map(|d| format!(": {}", d.trim()))
            .unwrap_or_default();
        text.push_str(&format!(
            "- optional token parameter `{name}` ({:?}){docs}\n",
            o.kind
        ));
    }
    text
}
