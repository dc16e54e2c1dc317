//! The build-script entry point, tonic-build style:
//! `authorized_codegen::configure().compile_dir("spec")?`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Starts configuring code generation for a build script.
pub fn configure() -> Builder {
    Builder::default()
}

/// Settings for generating code from spec files; see [`configure`].
#[derive(Debug, Clone)]
pub struct Builder {
    out_dir: Option<PathBuf>,
    runtime_crate: String,
    include_file: Option<String>,
    emit_rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            out_dir: None,
            runtime_crate: crate::DEFAULT_RUNTIME_CRATE.to_owned(),
            include_file: Some("authorized_providers.rs".to_owned()),
            emit_rerun_if_changed: true,
        }
    }
}

/// What a build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The generated files, one per spec, then the include file.
    pub files: Vec<PathBuf>,
    /// What cargo is told to watch: each spec file, and the directory.
    pub watched: Vec<PathBuf>,
}

impl Builder {
    /// Where generated files go. Default: the `OUT_DIR` cargo gives build scripts.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The path generated code uses for the runtime. Default:
    /// `::authorized_api::runtime`, right for crates that depend on `authorized-api`.
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// The name of a file, written next to the generated ones, that includes
    /// them all: `include!(concat!(env!("OUT_DIR"), "/authorized_providers.rs"));`
    /// (the default name). `None` writes no include file.
    pub fn include_file(mut self, name: Option<&str>) -> Self {
        self.include_file = name.map(str::to_owned);
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines. Default: true.
    pub fn emit_rerun_if_changed(mut self, yes: bool) -> Self {
        self.emit_rerun_if_changed = yes;
        self
    }

    /// Generates code for every `*.yaml` / `*.yml` file in `dir` (sorted by
    /// name), and watches the directory so a new spec is noticed.
    pub fn compile_dir(self, dir: impl AsRef<Path>) -> Result<Generated> {
        let dir = dir.as_ref();
        let entries = fs::read_dir(dir).map_err(|source| Error::Io {
            action: "reading spec directory",
            path: dir.to_owned(),
            source,
        })?;
        let mut specs = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|source| Error::Io {
                    action: "reading spec directory",
                    path: dir.to_owned(),
                    source,
                })?
                .path();
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if is_yaml && path.is_file() {
                specs.push(path);
            }
        }
        specs.sort();
        self.compile_files(&specs, Some(dir))
    }

    /// Generates code for the given spec files.
    pub fn compile(self, specs: &[impl AsRef<Path>]) -> Result<Generated> {
        let specs: Vec<PathBuf> = specs.iter().map(|p| p.as_ref().to_owned()).collect();
        self.compile_files(&specs, None)
    }

    fn compile_files(self, specs: &[PathBuf], dir: Option<&Path>) -> Result<Generated> {
        let out_dir = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(dir) => dir,
            None => {
                return Err(Error::Config(
                    "no output directory: call `out_dir(…)`, or run from a build script where cargo sets OUT_DIR".into(),
                ));
            }
        };
        let mut watched: Vec<PathBuf> = dir.into_iter().map(Path::to_owned).collect();
        watched.extend(specs.iter().cloned());
        if self.emit_rerun_if_changed {
            print!("{}", rerun_lines(&watched));
        }

        let mut outputs = Vec::new();
        let mut errors = Vec::new();
        for spec in specs {
            let text = fs::read_to_string(spec).map_err(|source| Error::Io {
                action: "reading spec",
                path: spec.clone(),
                source,
            })?;
            match crate::generate_file(spec, &text, &self.runtime_crate) {
                Ok((module, code)) => outputs.push((module, code)),
                Err(Error::Spec(mut e)) => errors.append(&mut e),
                Err(other) => return Err(other),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Spec(errors));
        }
        let mut modules: Vec<&str> = outputs.iter().map(|(m, _)| m.as_str()).collect();
        modules.sort_unstable();
        if let Some(dup) = modules.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::Config(format!(
                "two specs both generate the module `{}`",
                dup[0]
            )));
        }

        let mut files = Vec::new();
        for (module, code) in &outputs {
            let path = out_dir.join(format!("{module}.rs"));
            write_if_changed(&path, code)?;
            files.push(path);
        }
        if let Some(name) = &self.include_file {
            let mut text = String::from(
                "// @generated by authorized-codegen: includes every provider module.\n",
            );
            for module in &modules {
                text.push_str(&format!("include!(\"{module}.rs\");\n"));
            }
            let path = out_dir.join(name);
            write_if_changed(&path, &text)?;
            files.push(path);
        }
        Ok(Generated { files, watched })
    }
}

/// The `cargo:rerun-if-changed` lines for `watched`.
pub fn rerun_lines(watched: &[PathBuf]) -> String {
    watched
        .iter()
        .map(|p| format!("cargo:rerun-if-changed={}\n", p.display()))
        .collect()
}

/// Writes `contents` unless the file already holds exactly that, so an
/// unchanged spec neither touches mtimes nor triggers rebuilds.
fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::write(path, contents).map_err(|source| Error::Io {
        action: "writing",
        path: path.to_owned(),
        source,
    })
}
