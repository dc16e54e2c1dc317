//! One module per subcommand.

mod call;
mod completions;
mod demo;
mod generate;
mod sandbox;
mod token;

use crate::args::Command;
use crate::error::Result;

/// Runs one command.
pub(crate) async fn run(command: Command) -> Result<()> {
    match command {
        Command::Demo => demo::run().await,
        Command::Token(args) => token::token(&args).await,
        Command::Check(args) => token::check(&args).await,
        Command::Revoke(args) => token::revoke(&args).await,
        Command::Call(args) => call::run(&args).await,
        Command::Sandbox(args) => sandbox::run(&args).await,
        Command::Gen(args) => generate::run(&args),
        Command::Completions(args) => completions::run(&args),
    }
}
