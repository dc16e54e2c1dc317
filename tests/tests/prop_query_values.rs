//! Sudo identities, tenants and query values of any Unicode (`+ & = % # ?`,
//! spaces, newlines, control characters, non-ASCII) reach a real loopback
//! server exactly as given, or are refused with a clear error before
//! anything is sent. The sandbox's `/api/echo` answers the query pairs it
//! decoded, in order.

mod fault_support;
mod prop_support;

use authorized_api::runtime::SudoKind;
use authorized_api::{Error, Sudo, Tenant, TokenIn, server};
use authorized_sandbox::{RunningSandbox, SandboxConfig};
use proptest::prelude::*;
use serde_json::Value;

use prop_support::{check, hostile_text};

/// A current-thread runtime, a sandbox on it, and a client for it.
struct Setup {
    runtime: tokio::runtime::Runtime,
    sandbox: RunningSandbox,
    api: server::Client,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(fault_support::sandbox(SandboxConfig::default()));
    let api = fault_support::server_client(&sandbox.base_url());
    Setup {
        runtime,
        sandbox,
        api,
    }
}

/// The pairs `/api/echo` decoded.
fn echoed(answer: &Value) -> Vec<(String, String)> {
    serde_json::from_value(answer["query"].clone()).unwrap()
}

fn sudo_kind() -> impl Strategy<Value = (SudoKind, &'static str)> {
    prop_oneof![
        Just((SudoKind::Uid, "uid")),
        Just((SudoKind::LoginName, "loginName")),
        Just((SudoKind::Email, "email")),
        Just((SudoKind::Mobile, "mobile")),
        Just((SudoKind::Username, "username")),
    ]
}

fn tenant() -> impl Strategy<Value = (bool, String)> {
    (any::<bool>(), hostile_text())
}

#[test]
fn sudo_tenant_and_query_values_arrive_exactly_as_given() {
    let setup = setup();
    let strategy = (
        sudo_kind(),
        hostile_text(),
        tenant(),
        hostile_text(),
        any::<bool>(),
    );
    check(
        256,
        strategy,
        |((kind, prefix), sudo, (by_id, tenant), value, in_query)| {
            let tenant_value = tenant.clone();
            let request = setup
                .api
                .get("/api/echo")
                .query_value("q", &value)
                .sudo(Sudo::new(kind, sudo.clone()))
                .tenant(if by_id {
                    Tenant::Id(tenant)
                } else {
                    Tenant::Code(tenant)
                })
                .token_in(if in_query {
                    TokenIn::Query
                } else {
                    TokenIn::Header
                });
            let sent = setup.sandbox.stats().server.api_calls;
            let result = setup.runtime.block_on(request.send::<Value>());
            if sudo.is_empty() || tenant_value.is_empty() {
                let Err(Error::InvalidRequest(message)) = &result else {
                    return Err(TestCaseError::fail(format!(
                        "an empty value must be refused: {result:?}"
                    )));
                };
                prop_assert!(message.contains("empty"), "{message}");
                prop_assert_eq!(
                    setup.sandbox.stats().server.api_calls,
                    sent,
                    "refused before sending"
                );
                return Ok(());
            }
            let answer = result.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let tenant_param = if by_id { "tenantId" } else { "tenantCode" };
            let expected = vec![
                ("q".to_owned(), value),
                ("sudo".to_owned(), format!("{prefix}:{sudo}")),
                (tenant_param.to_owned(), tenant_value),
            ];
            prop_assert_eq!(echoed(&answer), expected);
            let token_in = if in_query { "query" } else { "header" };
            prop_assert_eq!(&answer["tokenIn"], token_in);
            Ok(())
        },
    );
    assert!(
        setup.sandbox.stats().server.api_calls >= 200,
        "the cases reached the server"
    );
}

#[test]
fn the_requests_own_query_and_lists_survive_next_to_the_injected_values() {
    let setup = setup();
    let strategy = (
        proptest::collection::vec(hostile_text(), 0..4),
        "[a-z]{1,8}",
        hostile_text(),
    );
    check(128, strategy, |(items, name, sudo)| {
        prop_assume!(!sudo.is_empty());
        let request = setup
            .api
            .get("/api/echo?page=2")
            .query_value(&name, &items)
            .sudo(Sudo::email(sudo.clone()));
        let answer = setup
            .runtime
            .block_on(request.send::<Value>())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let mut expected = vec![("page".to_owned(), "2".to_owned())];
        expected.extend(items.into_iter().map(|item| (name.clone(), item)));
        expected.push(("sudo".to_owned(), format!("email:{sudo}")));
        prop_assert_eq!(echoed(&answer), expected);
        Ok(())
    });
}
