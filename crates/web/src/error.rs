//! One error type for the API. Codes are stable snake_case; database and unexpected
//! errors are logged with their context and answered with a plain 500.

use app::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::{DomainError, FieldErrors};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not_found")]
    NotFound,
    #[error("invalid_credentials")]
    InvalidCredentials,
    /// Too many failed logins from one address; wait `retry_after` seconds.
    #[error("too_many_requests")]
    TooManyAttempts { retry_after: u64 },
    /// A browser-session call that changes state without proof that this site's pages
    /// sent it (JSON or `X-CSRF-Token`), or from a foreign `Origin`.
    #[error("csrf_refused")]
    CsrfRefused,
    #[error("validation_failed")]
    Validation(FieldErrors),
    /// An uploaded file was refused: a validation error of `attachments` that names the file.
    #[error("validation_failed: {filename}: {code}")]
    Upload {
        code: &'static str,
        filename: String,
    },
    #[error("{0}")]
    BadRequest(&'static str),
    #[error("version_conflict")]
    Conflict { current_version: i64 },
    #[error("illegal_transition")]
    IllegalTransition {
        action: domain::lifecycle::Action,
        stage: domain::Stage,
    },
    #[error("duplicate")]
    Duplicate(String),
    #[error("payload_too_large")]
    TooLarge,
    #[error("unsupported_media_type")]
    UnsupportedMediaType,
    #[error("method_not_allowed")]
    MethodNotAllowed,
    #[error("password_change_required")]
    PasswordChangeRequired,
    #[error("internal: {0}")]
    Internal(String),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable snake_case code.
    pub error: String,
    /// A sentence for people, in English.
    pub message: String,
    /// Per-field codes, for validation errors.
    #[serde(skip_serializing_if = "FieldErrors::is_empty")]
    pub fields: FieldErrors,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For `429`: seconds to wait, as in `Retry-After`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::CsrfRefused | ApiError::PasswordChangeRequired => {
                StatusCode::FORBIDDEN
            }
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Validation(_) | ApiError::Upload { .. } | ApiError::Duplicate(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict { .. } | ApiError::IllegalTransition { .. } => StatusCode::CONFLICT,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::TooManyAttempts { .. } => "too_many_requests",
            ApiError::CsrfRefused => "csrf_refused",
            ApiError::Validation(_) | ApiError::Upload { .. } => "validation_failed",
            ApiError::BadRequest(code) => code,
            ApiError::Conflict { .. } => "version_conflict",
            ApiError::IllegalTransition { .. } => "illegal_transition",
            ApiError::Duplicate(_) => "duplicate",
            ApiError::TooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => "Log in first, or send a valid API token.".into(),
            ApiError::Forbidden => "Your role does not allow this.".into(),
            ApiError::NotFound => "No such record in your scope.".into(),
            ApiError::InvalidCredentials => "Wrong username or password.".into(),
            ApiError::TooManyAttempts { retry_after } => format!(
                "Too many failed logins from your address; try again in {retry_after} seconds."
            ),
            ApiError::CsrfRefused => "A call with a browser session that changes something must \
                come from this site and send JSON or the session's X-CSRF-Token header."
                .into(),
            ApiError::Validation(f) => {
                format!("The input has {} problem(s); see `fields`.", f.len())
            }
            ApiError::Upload { code, filename } => format!(
                "The file \"{filename}\" was refused: {}",
                match *code {
                    "file_type_mismatch" => "its name's extension does not match its content (allowed: PDF, PNG, JPEG, Word, Excel, text)",
                    "file_type_not_allowed" => "its content is not an allowed type (PDF, PNG, JPEG, Word, Excel, text)",
                    "file_too_large" => "it is too large",
                    "empty_file" => "it is empty",
                    other => other,
                }
            ),
            ApiError::BadRequest(code) => format!("Bad request: {code}."),
            ApiError::Conflict { .. } => {
                "Someone changed this record first. Reload it and apply your change again.".into()
            }
            ApiError::IllegalTransition { action, stage } => {
                format!("`{action}` is not allowed while the case is in stage `{stage}`.")
            }
            ApiError::Duplicate(what) => format!("That value is already taken ({what})."),
            ApiError::TooLarge => "The request is too large.".into(),
            ApiError::UnsupportedMediaType => {
                "Send JSON (application/json) or multipart/form-data.".into()
            }
            ApiError::MethodNotAllowed => "This route does not take that method.".into(),
            ApiError::PasswordChangeRequired => {
                "Change your password first: POST /api/v1/me/password.".into()
            }
            ApiError::Internal(_) => "Something went wrong on our side. It has been logged.".into(),
        }
    }

    /// A refused upload, naming the file as the client sent it (cleaned for display).
    pub fn upload(code: &'static str, filename: &str) -> Self {
        ApiError::Upload {
            code,
            filename: app::attachments::clean_filename(filename),
        }
    }

    /// The field errors of a validation failure, and the file a refused upload names.
    pub fn form_errors(&self) -> Option<(FieldErrors, Option<String>)> {
        match self {
            ApiError::Validation(f) => Some((f.clone(), None)),
            ApiError::Upload { code, filename } => {
                let mut f = FieldErrors::new();
                f.insert("attachments".into(), (*code).into());
                Some((f, Some(filename.clone())))
            }
            _ => None,
        }
    }

    pub fn field(field: &str, code: &str) -> Self {
        let mut f = FieldErrors::new();
        f.insert(field.into(), code.into());
        ApiError::Validation(f)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden => ApiError::Forbidden,
            AppError::NotFound => ApiError::NotFound,
            AppError::Validation(f) => ApiError::Validation(f),
            AppError::Upload { code, filename } => ApiError::Upload { code, filename },
            AppError::BadRequest(code) => ApiError::BadRequest(code),
            AppError::Conflict { current_version } => ApiError::Conflict { current_version },
            AppError::IllegalTransition { action, stage } => {
                ApiError::IllegalTransition { action, stage }
            }
            AppError::Duplicate(what) => ApiError::Duplicate(what),
            other => ApiError::Internal(error_chain(&other)),
        }
    }
}

/// An error and its sources, for the log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Validation(e.fields())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let status = self.status();
        let body = ErrorBody {
            error: self.code().to_string(),
            message: self.message(),
            fields: self.form_errors().map(|(f, _)| f).unwrap_or_default(),
            current_version: match &self {
                ApiError::Conflict { current_version } => Some(*current_version),
                _ => None,
            },
            retry_after: match &self {
                ApiError::TooManyAttempts { retry_after } => Some(*retry_after),
                _ => None,
            },
        };
        let mut res = (status, Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after } = &self {
            if let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
