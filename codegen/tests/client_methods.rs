//! An endpoint may not take the name of a method every generated client
//! already has. The truth is the runtime's source, not a list kept by hand:
//! every plain `pub fn` of an inherent `impl … Client<…>` block, in whichever
//! file under `runtime/src` it lives. A method added there that codegen's
//! list lacks fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;

/// The methods of the traits the generated `Client` implements: `Clone`,
/// `Debug`, `Deref`, `From` and the runtime's `AuthorizedClient`.
const TRAIT_METHODS: &[&str] = &["clone", "clone_from", "fmt", "deref", "from", "runtime"];

/// The generated wrapper's own methods.
const WRAPPER_METHODS: &[&str] = &["builder"];

/// A valid spec but for its one endpoint's name, which is on line 6, column 3.
fn spec_with_endpoint(name: &str) -> String {
    format!(
        "name: probe
auth:
  token: {{ method: GET, path: /token, params_in: query }}
  placement: {{ query: access_token, default: query }}
endpoints:
  {name}:
    method: GET
    path: /things
"
    )
}

fn generate(name: &str) -> Result<(String, String), authorized_codegen::Error> {
    authorized_codegen::generate_file(
        Path::new("spec/probe.yaml"),
        &spec_with_endpoint(name),
        "::rt",
    )
}

fn assert_refused(name: &str, why: &str) {
    match generate(name) {
        Ok(_) => panic!("an endpoint named `{name}` ({why}) was accepted"),
        Err(e) => assert_eq!(
            e.to_string(),
            format!(
                "spec/probe.yaml:6:3: at `endpoints.{name}`: `{name}` is a method every client already has; rename the endpoint"
            ),
            "an endpoint named `{name}` ({why})"
        ),
    }
}

/// Every `.rs` file under `dir`, at any depth, in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries.map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Whether `ty` is `Client`, `Client<P>`, `crate::Client<P>`, ….
fn is_client(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(ty) => {
            ty.qself.is_none()
                && ty
                    .path
                    .segments
                    .last()
                    .is_some_and(|last| last.ident == "Client")
        }
        _ => false,
    }
}

/// The plain `pub` fns of the inherent `impl Client` blocks in `items`,
/// including those of inline modules.
fn client_methods_in(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                for item in &block.items {
                    if let syn::ImplItem::Fn(f) = item
                        && matches!(f.vis, syn::Visibility::Public(_))
                    {
                        out.insert(f.sig.ident.unraw().to_string());
                    }
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    client_methods_in(items, out);
                }
            }
            _ => {}
        }
    }
}

/// The runtime client's public methods, read from its source.
fn runtime_client_methods() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut methods = BTreeSet::new();
    for file in files {
        let text =
            fs::read_to_string(&file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let syntax =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()));
        client_methods_in(&syntax.items, &mut methods);
    }
    methods
}

#[test]
fn the_probe_spec_generates_with_an_ordinary_endpoint_name() {
    generate("list_things").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_public_method_of_the_runtime_client_is_refused_as_an_endpoint_name() {
    let methods = runtime_client_methods();
    assert!(
        methods.len() >= 10,
        "the scan of runtime/src found only {methods:?}; is it still finding `impl Client` blocks?"
    );
    for expected in ["get", "request", "token", "check_token", "stats"] {
        assert!(
            methods.contains(expected),
            "the scan missed `{expected}`: {methods:?}"
        );
    }
    for method in &methods {
        assert_refused(method, "a method of the runtime's `Client`");
    }
}

#[test]
fn the_generated_wrapper_and_trait_methods_are_refused_as_endpoint_names() {
    for method in WRAPPER_METHODS {
        assert_refused(method, "a method of the generated `Client`");
    }
    for method in TRAIT_METHODS {
        assert_refused(
            method,
            "a method of a trait the generated `Client` implements",
        );
    }
}
