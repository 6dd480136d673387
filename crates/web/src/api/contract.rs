//! The answers every operation can give because of how it reads its request, added to
//! the OpenAPI document in one place. Each route reads its path with `ApiPath`, its query
//! with `ApiQuery` and its body with `JsonBody` or `ApiMultipart`, so these follow from
//! the operation's shape:
//!
//! | the operation has | so it may answer |
//! |---|---|
//! | a path parameter | `404` (also when it does not parse) |
//! | a query parameter | `422` (a value that does not parse or is out of range) |
//! | a request body | `400` malformed, `413` too large, `415` wrong content type, `422` invalid |
//! | a login (everything but the public API and logging in) | `401`; `403` for writes (role, scope, CSRF) |
//! | a rate limit (the public API but the schedule, and logging in) | `429` with `Retry-After` |
//!
//! Every 4xx gets the JSON error body, [`crate::error::ErrorBody`], unless the route
//! documents another. Answers a route documents itself are left as they are.

use crate::error::ErrorBody;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Routes that need no login.
fn is_public(path: &str, method: &str) -> bool {
    path.starts_with("/api/v1/public/") || (path == "/api/v1/session" && method == "post")
}

/// Routes behind a per-address rate limit.
fn is_rate_limited(path: &str, method: &str) -> bool {
    (path.starts_with("/api/v1/public/") && path != "/api/v1/public/reception")
        || (path == "/api/v1/session" && method == "post")
}

fn error_content() -> Content {
    Content::new(Some(RefOr::Ref(Ref::from_schema_name(ErrorBody::name()))))
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| RefOr::T(Response::new(description)));
}

/// Adds the answers the operation's shape implies, and the error body to every 4xx.
fn complete(path: &str, method: &str, op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_path = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_query = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    if op.request_body.is_some() {
        add(op, "400", "Malformed JSON or multipart body");
        add(op, "413", "The body is too large");
        add(
            op,
            "415",
            "Wrong content type: send application/json (or multipart/form-data where documented)",
        );
        add(
            op,
            "422",
            "Invalid input; `fields` names each problem and nothing was stored",
        );
    }
    if has_query {
        add(
            op,
            "422",
            "A query parameter does not parse or is out of range (`fields` names it)",
        );
    }
    if has_path {
        add(
            op,
            "404",
            "No such record in your scope (also when a path parameter does not parse)",
        );
    }
    if !is_public(path, method) {
        add(op, "401", "Log in first, or send a valid bearer token");
        if method != "get" {
            add(
                op,
                "403",
                "Your role or scope does not allow this, or a cookie-authenticated call lacks its CSRF proof",
            );
        }
        op.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
    if is_rate_limited(path, method) {
        add(
            op,
            "429",
            "Too many attempts from this address; wait `Retry-After` seconds",
        );
        if let Some(RefOr::T(r)) = op.responses.responses.get_mut("429") {
            r.headers.entry("Retry-After".into()).or_insert_with(|| {
                HeaderBuilder::new()
                    .schema(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::Type::Integer)
                            .minimum(Some(1)),
                    )
                    .description(Some("Seconds to wait"))
                    .build()
            });
        }
    }
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(r) = response {
            if status.starts_with('4') && r.content.is_empty() {
                r.content.insert("application/json".into(), error_content());
            }
        }
    }
}

/// The last fixed segment of a path, as an identifier: `routing_rules` for
/// `/api/v1/routing-rules`, `notices` for `/api/v1/cases/{id}/notices`.
fn last_segment(path: &str) -> String {
    path.rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or("api")
        .replace('-', "_")
}

/// Handlers in different modules share names (`list`); an operation id must be unique,
/// so a shared one gets its path's last segment: `list_cases`, `list_notices`, ….
fn unique_operation_ids(doc: &mut OpenApi) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete]
            .into_iter()
            .flatten()
        {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(id) = &mut op.operation_id {
                if seen.get(id.as_str()).is_some_and(|n| *n > 1) {
                    *id = format!("{id}_{}", last_segment(path));
                }
            }
        }
    }
}

/// Completes the document: the implied answers, the error schema, unique operation ids
/// and the two ways to log in (a bearer token from `POST /api/v1/tokens`, or the session
/// cookie).
pub fn complete_document(doc: &mut OpenApi) {
    unique_operation_ids(doc);
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            if let Some(op) = op {
                complete(path, method, op);
            }
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    let mut schemas = vec![(ErrorBody::name().into_owned(), ErrorBody::schema())];
    ErrorBody::schemas(&mut schemas);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
}
