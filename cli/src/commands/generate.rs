//! `gen SPEC... [-o FILE] [--check]`: provider modules from specs, as the
//! build script would make them, for people who keep generated code in git.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorized_codegen::SpecError;

use crate::args::GenArgs;
use crate::error::{CliError, Result};
use crate::output;

/// Generates every spec's module, then prints, writes or checks them.
pub(crate) fn run(args: &GenArgs) -> Result<()> {
    let code = generate_all(&args.specs, &args.runtime_crate)?;
    let Some(path) = &args.output else {
        return output::text(&code);
    };
    let current = std::fs::read_to_string(path).ok();
    let up_to_date = current.as_deref() == Some(code.as_str());
    if args.check {
        return if up_to_date {
            output::note(format_args!("`{}` is up to date", path.display()));
            Ok(())
        } else {
            Err(CliError::Failed(match current {
                Some(_) => format!(
                    "`{}` is stale: it differs from what the specs generate; run the same command without --check to rewrite it",
                    path.display()
                ),
                None => format!(
                    "`{}` does not exist; run the same command without --check to write it",
                    path.display()
                ),
            }))
        };
    }
    if up_to_date {
        output::note(format_args!("`{}` is up to date", path.display()));
        return Ok(());
    }
    std::fs::write(path, &code).map_err(|source| CliError::File {
        action: "write",
        path: path.clone(),
        source,
    })?;
    output::note(format_args!("wrote `{}`", path.display()));
    Ok(())
}

/// The modules of all specs, in the order given. Spec problems of every
/// file are reported together; two specs may not make the same module.
fn generate_all(specs: &[PathBuf], runtime_crate: &str) -> Result<String> {
    let mut modules: BTreeMap<String, &Path> = BTreeMap::new();
    let mut code = Vec::new();
    let mut problems: Vec<SpecError> = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(spec).map_err(|source| CliError::File {
            action: "read",
            path: spec.clone(),
            source,
        })?;
        match authorized_codegen::generate_file(spec, &text, runtime_crate) {
            Ok((module, file)) => {
                if let Some(first) = modules.insert(module.clone(), spec) {
                    return Err(CliError::Usage(format!(
                        "`{}` and `{}` both define the module `{module}`",
                        first.display(),
                        spec.display()
                    )));
                }
                code.push(file);
            }
            Err(authorized_codegen::Error::Spec(found)) => problems.extend(found),
            Err(other) => return Err(other.into()),
        }
    }
    if !problems.is_empty() {
        return Err(authorized_codegen::Error::Spec(problems).into());
    }
    Ok(code.join("\n"))
}
