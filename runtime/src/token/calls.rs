//! Calls that send a token itself as a parameter: check and revoke, on the
//! wire. The client's `check_token` and `revoke_token` drive them.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::def::{ParamsIn, ProviderDef, TokenCall};
use crate::error::{Error, Result, Stage};
use crate::redact::{BodyExcerpt, scrub};
use crate::token::credentials::Credentials;
use crate::token::endpoints::{AuthCall, Endpoints};
use crate::wire::answer::{Judged, judge};
use crate::wire::body::{self, TOKEN_ANSWER_LIMIT};

/// What a check or revoke call needs from its client.
pub(crate) struct Exchange<'a> {
    pub def: &'static ProviderDef,
    pub http: &'a reqwest::Client,
    pub endpoints: &'a Endpoints,
    pub credentials: &'a Credentials,
}

impl Exchange<'_> {
    /// Sends `call` (with its `headers`, parsed when the client was built)
    /// carrying `token`, the client authenticated as the call allows;
    /// returns the payload of a successful answer, judged by the call's
    /// answer rule, or a typed error. `secrets` are hidden in every error.
    /// A check needs a JSON payload; a revoke judged by its status alone
    /// may answer anything (RFC 7009: an empty body).
    pub(crate) async fn send(
        &self,
        (call, which): (&TokenCall, AuthCall),
        headers: &HeaderMap,
        token: &str,
        stage: Stage,
        secrets: &[&str],
    ) -> Result<Value> {
        let def = self.def;
        let url = self.endpoints.url(which, call.path, self.http).await?;
        let mut headers = headers.clone();
        let mut pairs: Vec<(&'static str, &str)> = call.constants.to_vec();
        pairs.push((call.token_param, token));
        let method = self.credentials.method(call.client_auth);
        let params = (call.client_id_param, call.client_secret_param);
        self.credentials
            .apply(method, params, &mut pairs, &mut headers);
        let builder = self.http.request(call.method.to_reqwest(), url);
        let builder = match call.params_in {
            ParamsIn::Query => builder.query(&pairs),
            ParamsIn::Form => builder.form(&pairs),
            ParamsIn::Json => builder.json(
                &pairs
                    .iter()
                    .map(|(name, value)| ((*name).to_owned(), Value::from(*value)))
                    .collect::<serde_json::Map<_, _>>(),
            ),
        };
        let response = builder
            .headers(headers)
            .send()
            .await
            .map_err(|e| Error::from_reqwest(def.name, stage, e))?;
        let status = response.status().as_u16();
        let hidden = || secrets.to_vec();
        let body = body::read(response, TOKEN_ANSWER_LIMIT, def.name, stage, hidden).await?;
        let excerpt = || BodyExcerpt::new(&body, secrets);
        match judge(&call.answer, status, &body) {
            Judged::Success(payload) => Ok(payload),
            Judged::SuccessWithoutJson(_) if which == AuthCall::Revoke => Ok(Value::Null),
            Judged::SuccessWithoutJson(reason) => Err(Error::Decode {
                provider: def.name,
                stage,
                reason,
                body: excerpt(),
            }),
            Judged::Failure { code, message } => Err(Error::Api {
                provider: def.name,
                stage,
                status,
                code: scrub(code, secrets),
                message: scrub(message, secrets),
                body: excerpt(),
            }),
            Judged::Unreadable(reason) => Err(Error::Decode {
                provider: def.name,
                stage,
                reason,
                body: excerpt(),
            }),
        }
    }

    /// A check answer's payload as the provider's typed answer.
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        stage: Stage,
        payload: Value,
        secrets: &[&str],
    ) -> Result<T> {
        T::deserialize(&payload).map_err(|e| Error::Decode {
            provider: self.def.name,
            stage,
            reason: e.to_string(),
            body: BodyExcerpt::new(payload.to_string().as_bytes(), secrets),
        })
    }
}
