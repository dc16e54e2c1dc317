//! The hotel provider's protected demo resources: `/api/v1.0/hotels` and
//! `/api/v1.0/hotels/{hotelId}`.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;
use serde::Serialize;
use tokio::time::Instant;

use super::envelope::{HotelError, success};
use crate::Sandbox;
use crate::request::{Presented, decode_pairs, presented_token};
use crate::state::stats::Counter;
use crate::state::tokens::{Refusal, TokenKind};

/// A demo hotel.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Hotel {
    hotel_id: &'static str,
    hotel_name: &'static str,
    city: &'static str,
    stars: u8,
}

const HOTELS: &[Hotel] = &[
    Hotel {
        hotel_id: "H1001",
        hotel_name: "北京长安饭店",
        city: "北京",
        stars: 5,
    },
    Hotel {
        hotel_id: "H1002",
        hotel_name: "上海外滩酒店",
        city: "上海",
        stars: 4,
    },
    Hotel {
        hotel_id: "H1003",
        hotel_name: "杭州西湖宾馆",
        city: "杭州",
        stars: 3,
    },
];

/// A call that presented a good hotel access token.
///
/// Extracting it counts the call, waits the API latency, and rejects a call
/// with a `sudo` parameter or with a token both in the header and the query
/// (400), or with no good token (401).
pub(crate) struct HotelCaller;

impl FromRequestParts<Sandbox> for HotelCaller {
    type Rejection = HotelError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, HotelError> {
        let state = sandbox.state();
        state.counters.bump(Counter::HotelApiCalls);
        state.faults.api_delay().await;
        let query = decode_pairs(parts.uri.query().unwrap_or_default().as_bytes());
        if query.iter().any(|(name, _)| name == "sudo") {
            return Err(HotelError::bad_request("the hotel API has no sudo"));
        }
        let looked_up = match presented_token(&parts.headers, &query) {
            Presented::Ambiguous => {
                let detail =
                    "send the access token once: Authorization header or access_token parameter";
                return Err(HotelError::bad_request(detail));
            }
            Presented::Token(token, _) => {
                let now = Instant::now();
                state.tokens.lookup(&token, TokenKind::HotelAccess, now)
            }
            Presented::Nothing => Err(Refusal::Unknown),
        };
        match looked_up {
            Ok(_) => Ok(Self),
            Err(refusal) => {
                state.counters.bump(Counter::HotelApiUnauthorized);
                if refusal == Refusal::Superseded {
                    state.counters.bump(Counter::HotelApiSuperseded);
                }
                Err(HotelError::invalid_token())
            }
        }
    }
}

/// `GET /api/v1.0/hotels`: every demo hotel.
pub(crate) async fn list_hotels(_: HotelCaller) -> Response {
    success(HOTELS)
}

/// `GET /api/v1.0/hotels/{hotelId}`: one hotel, or `not_found` in a 200.
pub(crate) async fn one_hotel(
    _: HotelCaller,
    Path(hotel_id): Path<String>,
) -> Result<Response, HotelError> {
    let hotel = HOTELS.iter().find(|h| h.hotel_id == hotel_id);
    hotel
        .map(success)
        .ok_or_else(|| HotelError::not_found(format!("hotel {hotel_id}")))
}
