//! What the dialect tests share: credentials, and a token endpoint that
//! hands out a new token on each request.

#[path = "../mock_answers/mod.rs"]
mod mock_answers;
pub use mock_answers::numbered;

pub const APP_ID: &str = "wx-app-1001";
pub const APP_SECRET: &str = "app-secret-3c9f0a77e1";
