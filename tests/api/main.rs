//! Black-box HTTP tests through spawn_app. Run against SQLite by default and against PostgreSQL
//! with TEST_BACKEND=postgres (the README's test command runs both).

mod helpers;

mod accessibility;
mod acting;
mod feed;
mod hidden_services;
mod choices;
mod download;
mod import;
mod integrity;
mod oidc;
mod operating;
mod records;
mod shell;
mod sessions;
mod valtuudet;
mod words;
