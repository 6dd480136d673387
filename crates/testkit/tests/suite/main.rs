//! Hearken's API, store and security suites, in one test binary so that the workspace
//! links it once. Each module holds one area; most tests run on SQLite and on PostgreSQL.

mod common;
#[path = "common/portal.rs"]
mod portal;

mod api_admin;
mod api_attachments;
mod api_case_help;
mod api_jobs;
mod api_lifecycle;
mod api_public_portal;
mod api_public_track;
mod api_queue;
mod api_registration;
mod api_session;
mod disputes_api;
mod disputes_overdue;
mod disputes_screening;
mod duty_reports;
mod duty_roster;
mod exports_api;
mod feed_api;
mod feed_attachments;
mod feed_store;
mod linking_api;
mod pilot_flow_intake;
mod pilot_flow_notify;
mod pilot_flow_sign_off;
mod pilot_notices_api;
mod pilot_queue_account;
mod pilot_queue_admin;
mod pilot_queue_list;
mod search_api;
mod search_index_restart;
mod sec_api_contract;
mod sec_auth_csrf;
mod sec_auth_login;
mod sec_auth_sessions;
mod sec_auth_text;
mod sec_scope_audit;
mod sec_scope_migration;
mod sec_scope_settings;
mod sec_scope_uploads;
mod stats_api;
mod stats_store;
mod store_conformance;
mod supervision_accountability;
mod supervision_board;
mod supervision_common;
mod supervision_orders;
