//! The `authorized` binary end to end: exit codes, what goes to stdout and
//! stderr, masking, and every command against a sandbox the test starts
//! (its URL passed with `--base-url`) or `--sandbox`. Nothing here leaves
//! loopback. One test binary (one link on CI), one file per subject.
//!
//! - `connection_settings.rs`: no base URL, `--sandbox`, flags,
//!   environment and config file, plain http.
//! - `token_command.rs`: lifetime and expiry, `--output json`, oauth2's
//!   client authentication and issuer.
//! - `check_revoke_commands.rs`: named and fresh tokens, hotel's lack.
//! - `call_command.rs`: sudo and tenants, envelopes, vendor errors, `--raw`.
//! - `secret_masking.rs`: masked tokens and answers, verbose logs.
//! - `completions.rs`: bash, zsh and fish scripts.
//! - `demo_and_sandbox_commands.rs`: `demo` and `sandbox`, which start a
//!   sandbox of their own.
//! - `usage.rs`: help, bad flags and missing arguments.
//! - `gen_command.rs`: `gen` and `gen --check`.
//! - `redis_store.rs`: `--redis`, one token shared by separate runs.
//! - `support.rs`: running the binary, a test sandbox, reading what it printed.

mod call_command;
mod check_revoke_commands;
mod completions;
mod connection_settings;
mod demo_and_sandbox_commands;
mod gen_command;
mod redis_store;
mod secret_masking;
mod support;
mod token_command;
mod usage;
