//! Pure domain types and rules: no I/O, no clock, no HTTP. Today is always a parameter.

pub mod archive;
pub mod audit;
pub mod catalogue;
pub mod choices;
pub mod hetu;
pub mod roles;
pub mod text;
pub mod time;
pub mod visibility;
