//! `sandbox`: both providers on 127.0.0.1 in the foreground until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox};

use crate::args::SandboxArgs;
use crate::error::{CliError, Result};
use crate::output;

/// Serves until Ctrl-C, then stops accepting, lets calls in flight finish
/// (a second Ctrl-C stops at once) and prints what it served.
pub(crate) async fn run(args: &SandboxArgs) -> Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let running = Sandbox::default()
        .start_on(addr)
        .await
        .map_err(|source| CliError::Sandbox {
            addr: addr.to_string(),
            source,
        })?;
    // Poll the Ctrl-C listener once before announcing the URL, so it is
    // registered by the time anyone can act on the announcement.
    let unheard = |e: std::io::Error| CliError::Failed(format!("cannot listen for Ctrl-C: {e}"));
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    tokio::select! {
        biased;
        early = &mut ctrl_c => return early.map_err(unheard),
        () = std::future::ready(()) => {}
    }
    let url = running.base_url();
    output::line(format_args!("sandbox listening on {url} (Ctrl-C stops it)"))?;
    // The demo client is public (a constant of authorized-sandbox): printing
    // its secret is how people connect to the sandbox.
    output::line(format_args!("  client id:     {DEMO_CLIENT_ID}"))?;
    output::line(format_args!(
        "  client secret: {DEMO_CLIENT_SECRET}  (the public demo secret)"
    ))?;
    output::line(format_args!(
        "  try: AUTHORIZED_SERVER_BASE_URL={url} AUTHORIZED_SERVER_CLIENT_ID={DEMO_CLIENT_ID} AUTHORIZED_SERVER_CLIENT_SECRET={DEMO_CLIENT_SECRET} authorized call GET /api/me --sudo uid:1001"
    ))?;
    ctrl_c.await.map_err(unheard)?;
    output::note("stopping: letting calls in flight finish (Ctrl-C again to stop at once)");
    let stats = running.stats();
    tokio::select! {
        () = running.shutdown() => {}
        _ = tokio::signal::ctrl_c() => output::note("stopped without waiting"),
    }
    output::line(format_args!(
        "sandbox stopped; it served {} token request(s) and {} API call(s)",
        stats.hotel.token_client_credentials
            + stats.hotel.token_refresh
            + stats.server.token_client_credentials,
        stats.hotel.api_calls + stats.server.api_calls
    ))
}
