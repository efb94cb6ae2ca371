//! The audit trail's proof, outside the database's word: the keyed hash chain and its streaming
//! verifier ([`chain`], pure), signed checkpoints shipped outside the database ([`checkpoint`]),
//! a closed month's signed archive file ([`archive`]), and the check of the copies of others'
//! actions that "who acted for me" reads ([`acted_for`]). The rows themselves, and every query
//! about them, are in `store/audit.rs`; this room may use the store's row types, never SQL.

pub mod acted_for;
pub mod archive;
pub mod chain;
pub mod checkpoint;

pub use chain::{
    ChainBreak, ChainKey, ChainReport, ChainRow, ChainVerifier, CheckpointFailure, KEYED_PREFIX, chain_hash,
    keyed_chain_hash, verify_chain,
};
