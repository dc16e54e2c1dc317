//! The `DEF` static: the provider's definition as runtime data.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Call, Provider};
use crate::spec::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Discovery, InstantFormat, Lifetime, Method,
    ParamKind, ParamsIn, TokenCallSpec, TokenIn,
};

use super::Ctx;
use super::answers::{answer_rule, client_auth};

pub fn provider_def(p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let spec = &p.spec;
    let auth = &spec.auth;
    let name = &spec.name;
    let token = token_endpoint(p, cx);

    let refresh = some_or_none(auth.refresh.as_ref().map(|r| {
        let constants = pairs(r.constants.iter());
        let param = &r.refresh_token;
        let client_auth = client_auth(p.calls.refresh.as_deref().unwrap_or_default(), cx);
        quote! {
            #rt::RefreshGrant {
                constants: &[#(#constants),*],
                refresh_token_param: #param,
                client_auth: #client_auth,
            }
        }
    }));
    let check = some_or_none(
        auth.check
            .as_ref()
            .zip(p.calls.check.as_ref())
            .map(|(s, m)| token_call(s, m, cx)),
    );
    let revoke = some_or_none(
        auth.revoke
            .as_ref()
            .zip(p.calls.revoke.as_ref())
            .map(|(s, m)| token_call(s, m, cx)),
    );

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
        let it = &auth.invalid_token;
        let statuses = &it.status;
        let codes = it.codes.iter().map(|c| &c.0);
        let code_fields = &it.code_fields.0;
        let challenge = it.challenge;
        quote! {
            #rt::InvalidTokenSignal {
                statuses: &[#(#statuses),*],
                codes: &[#(#codes),*],
                code_fields: &[#(#code_fields),*],
                challenge: #challenge,
            }
        }
    };
    let api_answer = answer_rule(&p.calls.api, cx);
    let discovery = auth.discovery.iter().map(|d| match d {
        Discovery::OAuthAuthorizationServer => quote!(#rt::Discovery::OAuthAuthorizationServer),
        Discovery::OpenIdConfiguration => quote!(#rt::Discovery::OpenIdConfiguration),
    });
    let doc = super::docs(Some(&super::def_docs::auth_docs(p)), "");
    quote! {
        #doc
        pub static DEF: #rt::ProviderDef = #rt::ProviderDef {
            name: #name,
            token: #token,
            refresh: #refresh,
            check: #check,
            revoke: #revoke,
            placement: #placement,
            sudo: #sudo,
            tenant: #tenant,
            invalid_token: #invalid,
            api_answer: #api_answer,
            discovery: &[#(#discovery),*],
        };
    }
}

/// `rt::TokenEndpoint { … }`: the client credentials grant.
fn token_endpoint(p: &Provider, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let token = &p.spec.auth.token;
    let method = method(token.method, cx);
    let path = &token.path;
    let params_in = params_in(token.params_in, cx);
    let headers = pairs(token.headers.iter());
    let constants = pairs(token.constants.iter());
    let client_id = token.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
    let client_secret = token
        .client_secret
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_SECRET);
    let client_auth = client_auth(&p.calls.token.client_auth, cx);
    let optional = token.optional.iter().map(|(name, o)| {
        let kind = match o.kind {
            ParamKind::Integer => quote!(#rt::ParamKind::Integer),
            ParamKind::String => quote!(#rt::ParamKind::String),
        };
        let on_refresh = o.on_refresh;
        quote!(#rt::OptionalParam { name: #name, kind: #kind, on_refresh: #on_refresh })
    });
    let answer = answer_rule(&p.calls.token.answer, cx);
    let r = &token.response;
    let access = r.access_token();
    let refresh = opt_str(r.refresh_token.as_deref());
    let lifetime = match r.lifetime() {
        Lifetime::ExpiresIn(field) => quote!(#rt::Lifetime::ExpiresIn(#field)),
        Lifetime::ExpiresAt(at) => {
            let field = &at.field;
            let format = match at.format {
                InstantFormat::EpochSeconds => quote!(#rt::InstantFormat::EpochSeconds),
                InstantFormat::EpochMillis => quote!(#rt::InstantFormat::EpochMillis),
                InstantFormat::Rfc3339 => quote!(#rt::InstantFormat::Rfc3339),
            };
            quote!(#rt::Lifetime::ExpiresAt { field: #field, format: #format })
        }
    };
    let default_lifetime = match r.default_lifetime {
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
            client_auth: #client_auth,
            optional_params: &[#(#optional),*],
            answer: #answer,
            fields: #rt::TokenFields {
                access_token: #access,
                refresh_token: #refresh,
                lifetime: #lifetime,
                default_lifetime_secs: #default_lifetime,
            },
        }
    }
}

/// `rt::TokenCall { … }`: a check or revoke call.
fn token_call(spec: &TokenCallSpec, call: &Call, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let method = method(spec.method, cx);
    let path = &spec.path;
    let params_in = params_in(spec.params_in, cx);
    let headers = pairs(spec.headers.iter());
    let constants = pairs(spec.constants.iter());
    let token_param = &spec.token_param;
    let client_id = spec.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
    let client_secret = spec
        .client_secret
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_SECRET);
    let client_auth = client_auth(&call.client_auth, cx);
    let answer = answer_rule(&call.answer, cx);
    quote! {
        #rt::TokenCall {
            method: #method,
            path: #path,
            params_in: #params_in,
            headers: &[#(#headers),*],
            constants: &[#(#constants),*],
            token_param: #token_param,
            client_id_param: #client_id,
            client_secret_param: #client_secret,
            client_auth: #client_auth,
            answer: #answer,
        }
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

pub(super) fn opt_str(value: Option<&str>) -> TokenStream {
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
