//! Black-box HTTP tests through spawn_app. Run against SQLite by default and against PostgreSQL
//! with TEST_BACKEND=postgres (the README's test command runs both).

mod helpers;

mod accessibility;
mod acting;
mod choices;
mod download;
mod feed;
mod hidden_services;
mod import;
mod integrity;
mod oidc;
mod operating;
mod records;
mod sessions;
mod shell;
mod valtuudet;
mod words;
