//! One module per area: the handler and its page struct side by side.

pub mod about;
pub mod acting;
pub mod assets;
pub mod auth;
pub mod choices;
pub mod data_use;
pub mod health;
pub mod records;
pub mod sessions;
pub mod home;
pub mod sign_in;
