//! What `#[authorized]` turns a function into.
//!
//! The signature, attributes and visibility stay as written; the body
//! becomes
//!
//! ```text
//! let scope = ::authorized_api::runtime::__private::scope(&<client>);
//! let scope = ScopeBuilder::sudo(scope, <sudo>);          // if given
//! let scope = ScopeBuilder::tenant(scope, <tenant>);      // if given
//! let scope = ScopeBuilder::token_in(scope, <placement>); // if given
//! scope.run(async move { <original body> }).await
//! ```
//!
//! so the arguments are evaluated once, at entry, before the body can move
//! the parameters they use, and the body runs inside the scope.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::{
    AttrStyle, Error, Expr, ExprReference, FnArg, ItemFn, Pat, ReturnType, Signature, Token,
};

use crate::args::{Args, Placement, SudoValue, TenantValue};

/// Expands `#[authorized(<attr>)] <item>`. On an error the output is the
/// `compile_error!` followed by the item unchanged, so the user sees that
/// one error rather than a cascade from a missing function.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse2::<Args>(attr);
    let func = syn::parse2::<ItemFn>(item.clone()).map_err(not_a_function);
    let expanded = match (args, func) {
        (Ok(args), Ok(func)) => scoped(&args, &func),
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
        (Err(mut error), Err(more)) => {
            error.combine(more);
            Err(error)
        }
    };
    expanded.unwrap_or_else(|error| {
        let mut tokens = error.to_compile_error();
        tokens.extend(item);
        tokens
    })
}

/// The item is not a function with a body.
fn not_a_function(error: Error) -> Error {
    Error::new(
        error.span(),
        format!("`#[authorized]` goes on an `async fn` with a body: {error}"),
    )
}

/// The function with its body run inside the scope.
fn scoped(args: &Args, func: &ItemFn) -> syn::Result<TokenStream> {
    let sig = &func.sig;
    if sig.asyncness.is_none() {
        return Err(Error::new(
            sig.fn_token.span,
            "`#[authorized]` goes on an `async fn`: its scope covers the requests made while \
             the function's future runs",
        ));
    }
    let setup = scope_setup(args, sig)?;
    let scope = scope_variable();
    let pin = pin_output(&sig.output);
    let outer = func
        .attrs
        .iter()
        .filter(|a| matches!(a.style, AttrStyle::Outer));
    let inner = func
        .attrs
        .iter()
        .filter(|a| matches!(a.style, AttrStyle::Inner(_)));
    let vis = &func.vis;
    let body = &func.block;
    Ok(quote! {
        #(#outer)*
        #vis #sig {
            #(#inner)*
            #setup
            #scope.run(async move { #pin #body }).await
        }
    })
}

/// The macro's scope variable, invisible to the body (mixed-site hygiene).
fn scope_variable() -> Ident {
    Ident::new("__authorized_scope", Span::mixed_site())
}

/// The statements that build the scope:
///
/// ```text
/// let scope = __private::scope(&<client>);
/// let scope = ScopeBuilder::sudo(scope, <sudo>);              // if given
/// let scope = ScopeBuilder::tenant(scope, <tenant>);          // if given
/// let scope = ScopeBuilder::token_in(scope, <placement>);     // if given
/// ```
///
/// Each call is located at what the user wrote, so a failure is reported
/// there and only there: `scope(&…)` at the client expression (a client of
/// the wrong type), `sudo` at the `sudo` key and `tenant` at the tenant key
/// (a provider whose spec lacks them: their `on_unimplemented` message).
fn scope_setup(args: &Args, sig: &Signature) -> syn::Result<TokenStream> {
    let rt = quote!(::authorized_api::runtime);
    let scope = scope_variable();
    let start = start_scope(client_ref(args.client.as_ref(), sig)?);
    let mut setup = quote!(let #scope = #start;);
    // `ScopeBuilder::sudo(identity(scope), …)`: rustc blames an unmet bound
    // of the method on the argument that fixes the provider. The scope
    // variable is the macro's own (hygiene), reported at the attribute as a
    // whole; the `identity` call around it is located at the key.
    let mut call = |at: Span, method: &str, value: TokenStream| {
        let method = Ident::new(method, at);
        let path = quote_spanned!(at=> ::authorized_api::runtime::__private::ScopeBuilder::#method);
        let receiver = quote_spanned!(at=> ::core::convert::identity(#scope));
        let arguments = quote_spanned!(at=> (#receiver, #value));
        setup.extend(quote!(let #scope = #path #arguments;));
    };
    if let Some(sudo) = &args.sudo {
        let value = match &sudo.value {
            SudoValue::Expr(expr) => expr.to_token_stream(),
            // The constructor keeps the user's span: `username` warns there.
            SudoValue::Shorthand { constructor, arg } => quote!(#rt::Sudo::#constructor(#arg)),
        };
        call(sudo.key.span(), "sudo", value);
    }
    if let Some(tenant) = &args.tenant {
        let value = match &tenant.value {
            TenantValue::Expr(expr) => expr.to_token_stream(),
            TenantValue::Id(expr) => quote!(#rt::Tenant::id(#expr)),
            TenantValue::Code(expr) => quote!(#rt::Tenant::code(#expr)),
        };
        call(tenant.key.span(), "tenant", value);
    }
    if let Some(token) = &args.token {
        let placement = match token.placement {
            Placement::Header => quote!(#rt::TokenIn::Header),
            Placement::Query => quote!(#rt::TokenIn::Query),
        };
        call(token.value.span(), "token_in", placement);
    }
    Ok(setup)
}

/// `__private::scope(<client ref>)`, spanning exactly the client expression:
/// the path at its first token, the parentheses at its last. A client of the
/// wrong type then fails once, there; the failure to name its provider,
/// reported at the same place, is recognised as the same error.
fn start_scope(client: TokenStream) -> TokenStream {
    let first = client.clone().into_iter().next();
    let last = client.clone().into_iter().last();
    let first = first.map_or_else(Span::call_site, |token| token.span());
    let last = last.map_or_else(Span::call_site, |token| token.span());
    let path = quote_spanned!(first=> ::authorized_api::runtime::__private::scope);
    let mut arguments = Group::new(Delimiter::Parenthesis, client);
    arguments.set_span(last);
    quote!(#path #arguments)
}

/// `&<client>`: the `client = …` expression, or else the first parameter.
///
/// The `&` carries the span of the expression's first token, so the
/// reference spans the user's expression. Parentheses are added only where
/// precedence needs them.
fn client_ref(explicit: Option<&Expr>, sig: &Signature) -> syn::Result<TokenStream> {
    let client = match explicit {
        Some(expr) => expr.clone(),
        None => Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: None,
            path: syn::Path::from(first_parameter(sig)?),
        }),
    };
    let span = client
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span());
    let reference = ExprReference {
        attrs: Vec::new(),
        and_token: Token![&](span),
        mutability: None,
        expr: Box::new(client),
    };
    Ok(reference.into_token_stream())
}

/// The default client: the function's first parameter, by name.
///
/// A method's receiver is not taken by default: it usually holds the client
/// in a field, and guessing a later parameter would surprise. Such a method
/// says `client = self.api` (or `client = self` when `Self` is a client).
fn first_parameter(sig: &Signature) -> syn::Result<Ident> {
    match sig.inputs.first() {
        None => Err(Error::new(
            sig.paren_token.span.join(),
            "`#[authorized]` needs a client: take it as the first parameter \
             (`api: &server::Client`) or name it with `client = …`",
        )),
        Some(FnArg::Receiver(receiver)) => Err(Error::new(
            receiver.self_token.span,
            "`#[authorized]` does not take `self` as the client: name it with \
             `client = self.<field>`, or `client = self` if `Self` is a client",
        )),
        Some(FnArg::Typed(param)) => match &*param.pat {
            Pat::Ident(binding) => Ok(binding.ident.clone()),
            pattern => Err(Error::new_spanned(
                pattern,
                "`#[authorized]` uses the first parameter as the client, but it is a pattern: \
                 bind it to a name, or name the client with `client = …`",
            )),
        },
    }
}

/// Fixes the inner block's output to the function's return type, so `?` in
/// the body converts errors into that type, as it does in the function
/// itself (the same never-taken `return` as tracing's `#[instrument]`).
///
/// A return type with `impl Trait` cannot be written in a `let`; the block's
/// output is then inferred from the body alone.
fn pin_output(output: &ReturnType) -> TokenStream {
    let ReturnType::Type(_, ty) = output else {
        return TokenStream::new();
    };
    if mentions_impl(ty.to_token_stream()) {
        return TokenStream::new();
    }
    let value = Ident::new("__authorized_output", Span::mixed_site());
    quote! {
        #[allow(
            unreachable_code,
            clippy::diverging_sub_expression,
            clippy::empty_loop,
            clippy::let_unit_value,
            clippy::needless_return
        )]
        if false {
            let #value: #ty = loop {};
            return #value;
        }
    }
}

/// Whether a type has `impl Trait` anywhere in it.
fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}

#[cfg(test)]
mod tests;
