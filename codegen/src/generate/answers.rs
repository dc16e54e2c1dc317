//! Answer rules and client authentication as runtime data, and in words
//! for the docs of `DEF`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Answer;
use crate::spec::{Absent, AnswerSpec, ClientAuth, Scalar, SuccessSpec};

use super::Ctx;

/// `rt::AnswerRule { … }`
pub fn answer_rule(answer: &Answer, cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let rule = &answer.rule;
    let success = match &rule.success {
        SuccessSpec::Status => quote!(#rt::Success::Status),
        SuccessSpec::Field(s) => {
            let field = &s.field;
            let equals = match &s.equals {
                Scalar::Bool(b) => quote!(#rt::Scalar::Bool(#b)),
                Scalar::Int(i) => quote!(#rt::Scalar::Int(#i)),
                Scalar::Str(text) => quote!(#rt::Scalar::Str(#text)),
            };
            let absent = match s.absent {
                Absent::Failure => quote!(#rt::Absent::Failure),
                Absent::Success => quote!(#rt::Absent::Success),
            };
            quote!(#rt::Success::Field { field: #field, equals: #equals, absent: #absent })
        }
    };
    let payload = super::def::opt_str(rule.payload.as_deref());
    let codes = &rule.code_fields.0;
    let messages = &rule.message_fields.0;
    quote! {
        #rt::AnswerRule {
            success: #success,
            payload: #payload,
            code_fields: &[#(#codes),*],
            message_fields: &[#(#messages),*],
        }
    }
}

/// `&[rt::ClientAuth::Basic, …]`
pub fn client_auth(methods: &[ClientAuth], cx: &Ctx) -> TokenStream {
    let rt = &cx.runtime;
    let methods = methods.iter().map(|m| match m {
        ClientAuth::Params => quote!(#rt::ClientAuth::Params),
        ClientAuth::Basic => quote!(#rt::ClientAuth::Basic),
        ClientAuth::None => quote!(#rt::ClientAuth::None),
    });
    quote!(&[#(#methods),*])
}

/// Whether the rule is the default: success by status, the whole body.
pub fn is_status(rule: &AnswerSpec) -> bool {
    matches!(rule.success, SuccessSpec::Status)
        && rule.payload.is_none()
        && rule.code_fields.0.is_empty()
        && rule.message_fields.0.is_empty()
}

/// The rule in words: "a 2xx answer is a success when `code` is `0`, …".
pub fn answer_in_words(answer: &Answer) -> String {
    let rule = &answer.rule;
    let mut text = match &rule.success {
        SuccessSpec::Status => "a success by HTTP status (2xx)".to_owned(),
        SuccessSpec::Field(s) => {
            let (field, value) = (&s.field, s.equals.to_string());
            let value = value.trim_matches('"');
            match s.absent {
                Absent::Failure => format!(
                    "a 2xx answer is a success when `{field}` is `{value}`, a failure otherwise, \
                     and not the provider's shape without `{field}`"
                ),
                Absent::Success => format!(
                    "a 2xx answer is a success when `{field}` is `{value}` or absent \
                     (then all of it is the payload), a failure otherwise"
                ),
            }
        }
    };
    if let Some(payload) = &rule.payload {
        text.push_str(&format!("; the payload is `{payload}`"));
    }
    let (codes, messages) = (&rule.code_fields.0, &rule.message_fields.0);
    let read_from = match (codes.is_empty(), messages.is_empty()) {
        (false, false) => Some(format!(
            "code is read from {} and its message from {}",
            quoted(codes),
            quoted(messages)
        )),
        (false, true) => Some(format!("code is read from {}", quoted(codes))),
        (true, false) => Some(format!("message is read from {}", quoted(messages))),
        (true, true) => None,
    };
    if let Some(read_from) = read_from {
        text.push_str(&format!("; a failure's {read_from} first"));
    }
    if let Some(name) = &answer.name {
        text.push_str(&format!(" (`answers.{name}`)"));
    }
    text
}

/// The methods in words, the default first.
pub fn client_auth_in_words(methods: &[ClientAuth], id: &str, secret: &str) -> String {
    let words: Vec<String> = methods
        .iter()
        .map(|m| match m {
            ClientAuth::Params => format!("the parameters `{id}` and `{secret}`"),
            ClientAuth::Basic => "HTTP Basic".to_owned(),
            ClientAuth::None => "none".to_owned(),
        })
        .collect();
    match words.split_first() {
        Some((first, [])) => first.clone(),
        Some((first, rest)) => format!("{first} (the default), or {}", rest.join(", or ")),
        None => String::new(),
    }
}

fn quoted(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
