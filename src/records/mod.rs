//! What a viewer sees of a subject, and everything built on it: the one loader that applies the
//! visibility rules to stored rows ([`view`]), who may see whose data today ([`access`]), the
//! downloaded copy ([`download`]), the choices sent back to the archive ([`export`]) and the
//! support tool's answer to "why can't the client see document X?" ([`explain`]).
//!
//! It may use `domain` (the pure rules), `store` (reads only) and the web layer's presentation
//! helpers (`web::present`, words for a language); never a handler or a page.

pub mod access;
pub mod download;
pub mod explain;
pub mod export;
pub mod view;

pub use view::*;
