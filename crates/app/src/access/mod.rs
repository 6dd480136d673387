//! Reads and plain writes that need no rule of their own: each hands one store call
//! through, with its error mapped to [`crate::AppError`]. A call that grows a rule moves to
//! its use case's file.

mod admin_changes;
mod audit;
mod case_list;
mod cases;
mod connect;
mod feed;
mod intake;
mod notice_templates;
mod notifications;
mod public;
mod reception;
mod routing;
mod sessions;
mod tokens;
mod units;
mod users;
