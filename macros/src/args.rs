//! The attribute's arguments: `client = …`, `sudo = …`, `tenant = …` (or
//! `tenant_id = …` / `tenant_code = …`) and `token = header | query`.
//!
//! Each argument is checked where it is parsed, and every error is spanned at
//! the token that is wrong: a duplicate or unknown key at that key, an
//! unknown sudo shorthand at its name, a bad placement at its value.

use proc_macro2::{Ident, Span};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Error, Expr, ExprCall, Result, Token};

mod kw {
    syn::custom_keyword!(client);
    syn::custom_keyword!(sudo);
    syn::custom_keyword!(tenant);
    syn::custom_keyword!(tenant_id);
    syn::custom_keyword!(tenant_code);
    syn::custom_keyword!(token);
}

/// The keys the attribute knows, as the unknown-key error lists them.
const KEYS: &str = "`client`, `sudo`, `tenant`, `tenant_id`, `tenant_code` or `token`";

/// The sudo shorthands: `sudo = uid(…)` is `Sudo::uid(…)`, and so on. The
/// names are those of `Sudo`'s constructors.
const SUDO_SHORTHANDS: [&str; 5] = ["uid", "login_name", "email", "mobile", "username"];

/// Everything `#[authorized(…)]` was given; every argument is optional.
#[derive(Default)]
pub(crate) struct Args {
    /// `client = <expr>`: the client whose requests the scope covers.
    pub client: Option<Expr>,
    /// `sudo = …`: the identity requests act as.
    pub sudo: Option<SudoArg>,
    /// `tenant = …`, `tenant_id = …` or `tenant_code = …`.
    pub tenant: Option<TenantArg>,
    /// `token = header | query`.
    pub token: Option<TokenArg>,
}

/// `sudo = …`, with its key for spans.
pub(crate) struct SudoArg {
    /// The `sudo` key as written: errors about sudo support point here.
    pub key: Ident,
    pub value: SudoValue,
}

/// What `sudo = …` says.
pub(crate) enum SudoValue {
    /// Any expression of type `Sudo`.
    Expr(Expr),
    /// `uid(e)`, `login_name(e)`, …: `constructor` is the user's token, so a
    /// deprecation (`username`) is reported on it.
    Shorthand { constructor: Ident, arg: Box<Expr> },
}

/// The tenant, with the key it was given by.
pub(crate) struct TenantArg {
    /// `tenant`, `tenant_id` or `tenant_code` as written.
    pub key: Ident,
    pub value: TenantValue,
}

/// What the tenant argument says.
pub(crate) enum TenantValue {
    /// `tenant = <expr>`: any expression of type `Tenant`.
    Expr(Expr),
    /// `tenant_id = <expr>`: `Tenant::id(<expr>)`.
    Id(Expr),
    /// `tenant_code = <expr>`: `Tenant::code(<expr>)`.
    Code(Expr),
}

/// `token = header | query`.
pub(crate) struct TokenArg {
    /// `header` or `query`, as written.
    pub value: Ident,
    pub placement: Placement,
}

/// Where the token travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    Header,
    Query,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            args.parse_one(input)?;
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(args)
    }
}

impl Args {
    /// Parses one `key = value` and records it, refusing a key given twice.
    fn parse_one(&mut self, input: ParseStream) -> Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::client) {
            key(input, self.client.is_some())?;
            self.client = Some(input.parse()?);
        } else if lookahead.peek(kw::sudo) {
            let key = key(input, self.sudo.is_some())?;
            let value = sudo_value(input.parse()?)?;
            self.sudo = Some(SudoArg { key, value });
        } else if lookahead.peek(kw::tenant)
            || lookahead.peek(kw::tenant_id)
            || lookahead.peek(kw::tenant_code)
        {
            let previous = self.tenant.as_ref().map(|t| &t.key);
            let key = tenant_key(input, previous)?;
            let expr: Expr = input.parse()?;
            let value = match key.to_string().as_str() {
                "tenant_id" => TenantValue::Id(expr),
                "tenant_code" => TenantValue::Code(expr),
                _ => TenantValue::Expr(expr),
            };
            self.tenant = Some(TenantArg { key, value });
        } else if lookahead.peek(kw::token) {
            key(input, self.token.is_some())?;
            self.token = Some(input.parse()?);
        } else if input.peek(Ident::peek_any) {
            let unknown = input.call(Ident::parse_any)?;
            return Err(Error::new(
                unknown.span(),
                format!("unknown argument `{unknown}`: expected {KEYS}"),
            ));
        } else {
            return Err(lookahead.error());
        }
        Ok(())
    }
}

/// Parses `key =`, refusing a key that was already given.
fn key(input: ParseStream, given: bool) -> Result<Ident> {
    let key = input.call(Ident::parse_any)?;
    if given {
        return Err(Error::new(
            key.span(),
            format!("duplicate argument `{key}`: give it once"),
        ));
    }
    equals(input, &key)?;
    Ok(key)
}

/// Parses the `=` after `key` and checks that a value follows, with errors
/// at the key rather than at the end of the attribute.
fn equals(input: ParseStream, key: &Ident) -> Result<()> {
    if !input.peek(Token![=]) {
        return Err(Error::new(
            key.span(),
            format!("expected `{key} = …`: `{key}` needs a value"),
        ));
    }
    let eq: Token![=] = input.parse()?;
    if input.is_empty() || input.peek(Token![,]) {
        return Err(Error::new(
            eq.span,
            format!("expected a value after `{key} =`"),
        ));
    }
    Ok(())
}

/// Parses `tenant =`, `tenant_id =` or `tenant_code =`: a function has one
/// tenant, so any second tenant key is refused, at that key.
fn tenant_key(input: ParseStream, previous: Option<&Ident>) -> Result<Ident> {
    let key = input.call(Ident::parse_any)?;
    if let Some(previous) = previous {
        let message = if *previous == key {
            format!("duplicate argument `{key}`: give it once")
        } else {
            format!(
                "`{key}` conflicts with `{previous}`: name the tenant once, with one of \
                 `tenant`, `tenant_id` or `tenant_code`"
            )
        };
        return Err(Error::new(key.span(), message));
    }
    equals(input, &key)?;
    Ok(key)
}

/// Tells a sudo shorthand (`uid(e)`: a call of a bare name with one
/// argument) from an expression of type `Sudo` (`Sudo::uid(e)`, `make(e)`…
/// named by path, a variable, a block).
///
/// A bare name that is not a shorthand is an error rather than a call of the
/// user's function, so a misspelt shorthand (`userid(e)`) is caught here
/// instead of as "cannot find function"; a function of the user's is named
/// by path (`self::make(e)`).
fn sudo_value(expr: Expr) -> Result<SudoValue> {
    let Expr::Call(call) = expr else {
        return Ok(SudoValue::Expr(expr));
    };
    let Some(name) = shorthand_name(&call) else {
        return Ok(SudoValue::Expr(Expr::Call(call)));
    };
    if !SUDO_SHORTHANDS.iter().any(|known| name == known) {
        return Err(Error::new(
            name.span(),
            format!(
                "unknown sudo shorthand `{name}`: expected `uid(…)`, `login_name(…)`, `email(…)`, \
                 `mobile(…)` or `username(…)`, or an expression of type `Sudo` such as \
                 `Sudo::uid(…)`; name a function of your own by path (`self::{name}(…)`)"
            ),
        ));
    }
    let name = name.clone();
    let ExprCall {
        args, paren_token, ..
    } = call;
    let mut args = args.into_iter();
    match (args.next(), args.next()) {
        (Some(arg), None) => Ok(SudoValue::Shorthand {
            constructor: name,
            arg: Box::new(arg),
        }),
        _ => Err(Error::new(
            paren_token.span.join(),
            format!(
                "`{name}(…)` takes one argument: the user's {}",
                what_names(&name)
            ),
        )),
    }
}

/// The bare name called, if `call` is `name(…)` (no path, no generics).
fn shorthand_name(call: &ExprCall) -> Option<&Ident> {
    match &*call.func {
        Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => path.path.get_ident(),
        _ => None,
    }
}

/// What a shorthand's argument is, for its arity error.
fn what_names(shorthand: &Ident) -> &'static str {
    match shorthand.to_string().as_str() {
        "uid" => "id",
        "email" => "email",
        "mobile" => "mobile number",
        _ => "login name",
    }
}

impl Parse for TokenArg {
    fn parse(input: ParseStream) -> Result<Self> {
        let span = input.span();
        let value = input
            .call(Ident::parse_any)
            .map_err(|_| placement_error(span))?;
        let placement = match value.to_string().as_str() {
            "header" => Placement::Header,
            "query" => Placement::Query,
            _ => return Err(placement_error(value.span())),
        };
        Ok(Self { value, placement })
    }
}

/// The error for a `token = …` that is neither `header` nor `query`.
fn placement_error(span: Span) -> Error {
    Error::new(
        span,
        "expected `header` or `query`: where the token travels on this function's calls",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: proc_macro2::TokenStream) -> Result<Args> {
        syn::parse2(tokens)
    }

    fn error(tokens: proc_macro2::TokenStream) -> String {
        match parse(tokens) {
            Ok(_) => String::from("parsed"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn every_argument_is_optional_and_order_is_free() {
        let args = parse(quote!()).unwrap();
        assert!(args.client.is_none() && args.sudo.is_none());
        assert!(args.tenant.is_none() && args.token.is_none());

        let args = parse(quote!(
            token = query,
            tenant_code = "acme",
            sudo = uid(id),
            client = self.api,
        ))
        .unwrap();
        assert!(args.client.is_some());
        assert!(matches!(
            args.sudo.unwrap().value,
            SudoValue::Shorthand { constructor, .. } if constructor == "uid"
        ));
        assert!(matches!(args.tenant.unwrap().value, TenantValue::Code(_)));
        assert_eq!(args.token.unwrap().placement, Placement::Query);
    }

    #[test]
    fn an_expression_by_path_is_not_a_shorthand() {
        for tokens in [
            quote!(sudo = Sudo::uid(1)),
            quote!(sudo = self::make(1)),
            quote!(sudo = { make(1) }),
            quote!(sudo = who),
            quote!(sudo = who.clone()),
        ] {
            let args = parse(tokens).unwrap();
            assert!(matches!(args.sudo.unwrap().value, SudoValue::Expr(_)));
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            error(quote!(sudo = uid(1), sudo = uid(2))),
            "duplicate argument `sudo`: give it once"
        );
        assert!(error(quote!(tennant = 1)).starts_with("unknown argument `tennant`"));
        assert!(error(quote!(type = 1)).starts_with("unknown argument `type`"));
        assert!(error(quote!(sudo = userid(1))).starts_with("unknown sudo shorthand `userid`"));
        assert_eq!(
            error(quote!(sudo = email(a, b))),
            "`email(…)` takes one argument: the user's email"
        );
        assert!(
            error(quote!(tenant_id = 1, tenant_code = "x"))
                .starts_with("`tenant_code` conflicts with `tenant_id`")
        );
        assert!(error(quote!(tenant = t, tenant = t)).starts_with("duplicate argument `tenant`"));
        assert!(error(quote!(token = cookie)).starts_with("expected `header` or `query`"));
        assert!(error(quote!(token = "header")).starts_with("expected `header` or `query`"));
        assert_eq!(
            error(quote!(sudo)),
            "expected `sudo = …`: `sudo` needs a value"
        );
        assert_eq!(
            error(quote!(token uid(1))),
            "expected `token = …`: `token` needs a value"
        );
        assert_eq!(error(quote!(sudo = )), "expected a value after `sudo =`");
        assert_eq!(
            error(quote!(tenant_id = , sudo = uid(1))),
            "expected a value after `tenant_id =`"
        );
        assert_eq!(error(quote!(sudo = uid(1) tenant_id = 1)), "expected `,`");
    }
}
