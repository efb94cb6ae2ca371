//! Who someone is, and for whom they may act: production sign-in through the OpenID provider
//! (Suomi.fi e-Identification, [`oidc`]) and the right to act for another person from Suomi.fi
//! e-Authorizations ([`valtuudet`]). Each keeps its pure checks in one file and its HTTP in
//! another; the web layer's handlers call them, never the other way round.

pub mod oidc;
pub mod valtuudet;
