//! The two vendors' provider definitions, written by hand exactly as the seed
//! documents describe them, until the generated ones exist.

use authorized_runtime::{
    Absent, AnswerRule, ClientAuth, Discovery, HeaderPlacement, HttpMethod, InvalidTokenSignal,
    Lifetime, OptionalParam, ParamKind, ParamsIn, Placement, ProviderDef, RefreshGrant, Scalar,
    Success, SudoDef, SudoForm, SudoKind, TenantDef, TokenCall, TokenEndpoint, TokenFields,
    TokenIn,
};

/// The hotel envelope: `success == true`, the payload in `result`.
const HOTEL_ENVELOPE: AnswerRule = AnswerRule {
    success: Success::Field {
        field: "success",
        equals: Scalar::Bool(true),
        absent: Absent::Failure,
    },
    payload: Some("result"),
    code_fields: &[],
    message_fields: &[],
};

/// The hotel token path (client credentials and refresh alike).
pub const HOTEL_PATH: &str = "/api/v1.0/invoke/open-ability/method/oauth2/token";
/// The server token path.
pub const SERVER_PATH: &str = "/api/oauth2/server/tokens";

/// Hotel's `expires_in`: an integer, sent on refresh too.
pub const EXPIRES_IN: OptionalParam = OptionalParam {
    name: "expires_in",
    kind: ParamKind::Integer,
    on_refresh: true,
};

/// "hotel": POST form, `{success, result, timestamp}` envelope, rotating refresh tokens.
pub static HOTEL: ProviderDef = hotel(ParamsIn::Form, &[EXPIRES_IN]);

/// The hotel definition with other parameter placement or optional parameters
/// (to test what the fetcher does with shapes the vendors do not use).
pub const fn hotel(params_in: ParamsIn, optional_params: &'static [OptionalParam]) -> ProviderDef {
    ProviderDef {
        name: "hotel",
        token: TokenEndpoint {
            method: HttpMethod::Post,
            path: HOTEL_PATH,
            params_in,
            headers: &[("Accept", "application/json")],
            constants: &[("grant_type", "client_credentials"), ("scope", "hotel")],
            client_id_param: "client_id",
            client_secret_param: "client_secret",
            client_auth: &[ClientAuth::Params],
            optional_params,
            answer: HOTEL_ENVELOPE,
            fields: TokenFields {
                access_token: "access_token",
                refresh_token: Some("refresh_token"),
                lifetime: Lifetime::ExpiresIn("expires_in"),
                default_lifetime_secs: None,
            },
        },
        refresh: Some(RefreshGrant {
            constants: &[("grant_type", "refresh_token")],
            refresh_token_param: "refresh_token",
            client_auth: &[ClientAuth::Params],
        }),
        check: None,
        revoke: None,
        placement: Placement {
            header: Some(HeaderPlacement {
                name: "Authorization",
                scheme: Some("Bearer"),
            }),
            query: None,
            default: TokenIn::Header,
        },
        sudo: None,
        tenant: None,
        invalid_token: InvalidTokenSignal {
            statuses: &[401],
            codes: &[],
            code_fields: &[],
            challenge: false,
        },
        api_answer: AnswerRule {
            success: Success::Field {
                field: "success",
                equals: Scalar::Bool(true),
                absent: Absent::Success,
            },
            ..HOTEL_ENVELOPE
        },
        discovery: &[],
    }
}

/// "server": GET with query parameters, plain answer, `expires_in` a string
/// (12 hours by default), no refresh; check and revoke by token.
pub static SERVER: ProviderDef = SERVER_DEF;

/// "server" with an issuer whose RFC 8414 metadata names its endpoints.
pub static DISCOVERED: ProviderDef = ProviderDef {
    discovery: &[Discovery::OAuthAuthorizationServer],
    ..SERVER_DEF
};

const SERVER_DEF: ProviderDef = ProviderDef {
    name: "server",
    token: TokenEndpoint {
        method: HttpMethod::Get,
        path: SERVER_PATH,
        params_in: ParamsIn::Query,
        headers: &[("Accept", "application/json")],
        constants: &[("grant_type", "client_credentials")],
        client_id_param: "client_id",
        client_secret_param: "client_secret",
        client_auth: &[ClientAuth::Params],
        optional_params: &[],
        answer: AnswerRule::STATUS,
        fields: TokenFields {
            access_token: "access_token",
            refresh_token: None,
            lifetime: Lifetime::ExpiresIn("expires_in"),
            default_lifetime_secs: Some(43_200),
        },
    },
    refresh: None,
    check: Some(TokenCall {
        method: HttpMethod::Get,
        path: "/api/oauth2/server/tokens/check",
        params_in: ParamsIn::Query,
        headers: &[("Accept", "application/json")],
        constants: &[],
        token_param: "token",
        client_id_param: "client_id",
        client_secret_param: "client_secret",
        client_auth: &[ClientAuth::None],
        answer: AnswerRule::STATUS,
    }),
    revoke: Some(TokenCall {
        method: HttpMethod::Get,
        path: "/api/oauth2/server/tokens/revoke",
        params_in: ParamsIn::Query,
        headers: &[("Accept", "application/json")],
        constants: &[],
        token_param: "token",
        client_id_param: "client_id",
        client_secret_param: "client_secret",
        client_auth: &[ClientAuth::None],
        answer: AnswerRule {
            success: Success::Field {
                field: "code",
                equals: Scalar::Int(0),
                absent: Absent::Failure,
            },
            payload: None,
            code_fields: &[],
            message_fields: &["msg"],
        },
    }),
    placement: Placement {
        header: Some(HeaderPlacement {
            name: "Authorization",
            scheme: Some("Bearer"),
        }),
        query: Some("access_token"),
        default: TokenIn::Header,
    },
    sudo: Some(SudoDef {
        param: "sudo",
        forms: &[
            SudoForm {
                kind: SudoKind::Uid,
                prefix: "uid",
                deprecated: false,
            },
            SudoForm {
                kind: SudoKind::LoginName,
                prefix: "loginName",
                deprecated: false,
            },
            SudoForm {
                kind: SudoKind::Email,
                prefix: "email",
                deprecated: false,
            },
            SudoForm {
                kind: SudoKind::Mobile,
                prefix: "mobile",
                deprecated: false,
            },
            SudoForm {
                kind: SudoKind::Username,
                prefix: "username",
                deprecated: true,
            },
        ],
    }),
    tenant: Some(TenantDef {
        id_param: Some("tenantId"),
        code_param: Some("tenantCode"),
    }),
    invalid_token: InvalidTokenSignal {
        statuses: &[401],
        codes: &[],
        code_fields: &[],
        challenge: false,
    },
    api_answer: AnswerRule::STATUS,
    discovery: &[],
};
