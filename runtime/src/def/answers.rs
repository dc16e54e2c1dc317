//! How answers are read, for every call alike (token, refresh, check,
//! revoke and API calls): when an answer says it worked, where its payload
//! is, where the vendor's code and message are; and what says that a token
//! is no longer valid.

/// How an answer says whether the call worked, and where its payload is.
///
/// A status outside 2xx is always a failure. On a 2xx answer:
/// - [`Success::Status`]: success, whatever the body (an empty body or `{}` is fine);
/// - [`Success::Field`]: success when the named field equals the given value.
///
/// A failure carries the vendor's code and message, read from
/// `code_fields` and `message_fields` first, then from common names
/// ([`DEFAULT_CODE_FIELDS`], [`DEFAULT_MESSAGE_FIELDS`]), at the top level
/// and inside `error`, `result` or `data` objects.
#[derive(Debug)]
pub struct AnswerRule {
    /// When a 2xx answer is a success.
    pub success: Success,
    /// The field holding the payload (a dotted path for nested objects);
    /// `None`: the whole body.
    pub payload: Option<&'static str>,
    /// Fields that may hold the vendor's error code, tried in order.
    pub code_fields: &'static [&'static str],
    /// Fields that may hold the vendor's error message, tried in order.
    pub message_fields: &'static [&'static str],
}

impl AnswerRule {
    /// Success by HTTP status alone; the payload is the whole body.
    pub const STATUS: Self = Self {
        success: Success::Status,
        payload: None,
        code_fields: &[],
        message_fields: &[],
    };
}

/// When a 2xx answer is a success.
#[derive(Debug)]
pub enum Success {
    /// Always: the HTTP status says it all.
    Status,
    /// When `field` (a dotted path for nested objects) equals `equals`
    /// (`errcode == 0`, `success == true`, `status == "ok"`).
    Field {
        /// The field holding the result.
        field: &'static str,
        /// The value that means success.
        equals: Scalar,
        /// What an answer without the field means.
        absent: Absent,
    },
}

/// A JSON scalar a success field is compared with. A number matches the
/// same number sent as a string (`"0"`), and a boolean `"true"`/`"false"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string, compared exactly.
    Str(&'static str),
}

/// What a 2xx answer without the success field means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// The answer is not in the provider's shape: a decode error.
    Failure,
    /// A success whose payload is the whole body (WeChat-style APIs omit
    /// `errcode` on success; hotel-style APIs answer some calls unwrapped).
    Success,
}

/// What tells, on an API call, that the token is not (or no longer) valid.
#[derive(Debug)]
pub struct InvalidTokenSignal {
    /// HTTP statuses (401).
    pub statuses: &'static [u16],
    /// Vendor codes in the answer body, on any status (WeChat's 40001).
    pub codes: &'static [&'static str],
    /// The fields holding those codes, tried in order; empty: the API
    /// answer rule's `code_fields`, then [`DEFAULT_CODE_FIELDS`].
    pub code_fields: &'static [&'static str],
    /// Whether to read RFC 6750's `WWW-Authenticate: Bearer` challenge: a
    /// listed status whose challenge names an error other than
    /// `invalid_token` (`insufficient_scope`) is then not about the token,
    /// and `error="invalid_token"` is, on any status.
    pub challenge: bool,
}

/// Fields tried, in order, for a vendor error code when a spec names none.
pub const DEFAULT_CODE_FIELDS: &[&str] = &[
    "code",
    "errorCode",
    "error_code",
    "errcode",
    "errCode",
    "error",
    "status",
];

/// Fields tried, in order, for a vendor error message when a spec names none.
pub const DEFAULT_MESSAGE_FIELDS: &[&str] = &[
    "msg",
    "message",
    "errorMsg",
    "error_msg",
    "errmsg",
    "errMsg",
    "error_description",
    "errorMessage",
    "detail",
];
