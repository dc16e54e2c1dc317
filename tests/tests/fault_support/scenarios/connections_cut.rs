//! The scenario where connections are cut in the middle of an answer's
//! body, by a close or a reset, on a raw loopback server.

use std::time::Duration;

use authorized_api::runtime::Stage;
use authorized_api::{Error, server};
use authorized_sandbox::DEMO_CLIENT_SECRET;
use serde_json::{Value, json};

use super::{errors, unavailable};
use crate::fault_support::raw::{Cut, RAW_TOKEN, RawServer};
use crate::fault_support::*;

/// Real clock, real sockets: answers cut mid-body, by a close or a reset. A
/// token answer cut short is retried (and after three, given up); an API
/// answer cut short fails that call, which is not sent again, and neither
/// is a call the API answers 503.
pub async fn connections_cut_mid_body(seen: &mut Seen) {
    seen.secrets(&[DEMO_CLIENT_SECRET, RAW_TOKEN]);
    let fast = authorized_api::runtime::RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RETRY
    };
    for cut in [Cut::Close, Cut::Reset] {
        let raw = RawServer::start(cut, 2).await;
        let api: server::Client = builder::<server::Provider>(&raw.base_url)
            .retry_policy(fast)
            .build()
            .unwrap();
        let results = at_once(5, || me(&api)).await;
        assert_eq!(successes(&results), 5, "{cut:?}");
        assert_eq!(raw.token_requests(), 3, "{cut:?}: two cut, the third whole");
        assert_eq!(
            (raw.api_requests(), api.stats().requests),
            (5, 5),
            "{cut:?}"
        );

        let posted = [api
            .post("/api/cut")
            .json(&json!({"transfer": 1}))
            .send::<Value>()
            .await];
        assert!(
            matches!(
                posted[0],
                Err(Error::Transport {
                    stage: Stage::ApiCall,
                    ..
                })
            ),
            "{cut:?}: {:?}",
            posted[0]
        );
        seen.results(&posted);
        let busy = [me_at(&api, "/api/busy").await];
        assert!(
            matches!(busy[0], Err(Error::Api { status: 503, .. })),
            "{:?}",
            busy[0]
        );
        seen.results(&busy);
        assert_eq!(
            (
                raw.api_requests(),
                api.stats().requests,
                api.stats().replays
            ),
            (7, 7, 0),
            "{cut:?}: each call reached the API once"
        );
        let transfers = raw
            .api_bodies()
            .iter()
            .filter(|b| b.contains("transfer"))
            .count();
        assert_eq!(transfers, 1, "{cut:?}: the POST was sent once");
        assert_eq!(raw.token_requests(), 3, "{cut:?}: the token was fine");

        let raw = RawServer::start(cut, 3).await;
        let api: server::Client = builder::<server::Provider>(&raw.base_url)
            .retry_policy(fast)
            .build()
            .unwrap();
        let failed = at_once(5, || me(&api)).await;
        for error in errors(&failed) {
            let (attempts, last) = unavailable(error);
            assert_eq!(attempts, 3);
            assert!(matches!(last, Error::Transport { .. }), "{last:?}");
        }
        seen.results(&failed);
        assert_eq!(
            (raw.token_requests(), raw.api_requests()),
            (3, 0),
            "{cut:?}"
        );
    }
}

async fn me_at(api: &server::Client, path: &str) -> authorized_api::Result<Value> {
    api.get(path).send().await
}
