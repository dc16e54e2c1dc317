//! [`RunningSandbox`]: a sandbox serving on a socket, stopped when dropped.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Deref;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::Sandbox;

/// A [`Sandbox`] serving HTTP in a spawned task.
///
/// It derefs to the [`Sandbox`], so the knobs and counters are at hand.
/// Dropping it stops accepting connections and closes idle ones in the
/// background; [`shutdown`](Self::shutdown) does the same and waits.
#[derive(Debug)]
pub struct RunningSandbox {
    sandbox: Sandbox,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    pub(crate) async fn serve(sandbox: Sandbox, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let router = sandbox.router();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                // A send or a dropped sender both mean stop.
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "the sandbox stopped serving");
            }
        });
        tracing::debug!(%addr, "sandbox serving");
        Ok(Self {
            sandbox,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`, no trailing slash. An unspecified address
    /// (`0.0.0.0`, `::`) is shown as loopback, which reaches it.
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The sandbox behind the server (a cheap clone that outlives it).
    pub fn sandbox(&self) -> Sandbox {
        self.sandbox.clone()
    }

    /// Stops accepting connections, lets requests in flight finish, and
    /// waits until the server is down.
    pub async fn shutdown(mut self) {
        self.stop.take();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for RunningSandbox {
    type Target = Sandbox;

    fn deref(&self) -> &Sandbox {
        &self.sandbox
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        // Dropping the sender is the stop signal.
        self.stop.take();
    }
}
