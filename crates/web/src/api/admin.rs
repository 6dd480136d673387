//! Units, users and roles. Admins manage their own unit's subtree and nothing above it.
//! The staff pages call the same functions.

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::{Unit, User};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::Permission;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    #[schema(schema_with = super::schemas::unit_code)]
    pub code: String,
    #[schema(schema_with = super::schemas::unit_name)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// province | city | county | township | village | department
    #[schema(schema_with = super::schemas::unit_level)]
    pub level: String,
    /// The parent unit's code; required (the root exists already).
    #[schema(schema_with = super::schemas::unit_code)]
    pub parent: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnitNames {
    #[schema(schema_with = super::schemas::unit_name)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// `true` retires the unit (it keeps its cases but takes no new cases or users);
    /// `false` brings it back; absent leaves it as it is.
    #[serde(default)]
    pub retired: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UserInput {
    #[schema(schema_with = super::schemas::username)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    /// clerk | handler | leader | supervisor | duty | admin | auditor
    #[schema(schema_with = super::schemas::role)]
    pub role: String,
    /// The unit's code; defaults to the admin's own unit.
    #[serde(default)]
    pub unit: Option<String>,
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub unit: Option<String>,
    pub active: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordReset {
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
}

pub use app::admin::{change_detail, MAX_DISPLAY_NAME_CHARS, MAX_UNIT_NAME_CHARS};

impl UnitInput {
    fn form(&self) -> app::admin::UnitForm {
        app::admin::UnitForm {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            level: self.level.clone(),
            parent: self.parent.clone(),
        }
    }
}

impl UserInput {
    fn form(&self) -> app::admin::UserForm {
        app::admin::UserForm {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            unit: self.unit.clone(),
            password: self.password.clone(),
        }
    }
}

pub async fn create_unit_checked(
    state: &AppState,
    who: &Principal,
    input: &UnitInput,
) -> ApiResult<Unit> {
    Ok(state
        .app
        .create_unit_checked(&who.caller(), &input.form())
        .await?)
}

pub async fn create_user_checked(
    state: &AppState,
    who: &Principal,
    input: &UserInput,
) -> ApiResult<User> {
    Ok(state
        .app
        .create_user_checked(&who.caller(), &input.form())
        .await?)
}

pub async fn update_user_checked(
    state: &AppState,
    who: &Principal,
    id: i64,
    input: &UserUpdate,
) -> ApiResult<User> {
    let change = app::admin::UserChange {
        display_name: input.display_name.clone(),
        role: input.role.clone(),
        unit: input.unit.clone(),
        active: input.active,
    };
    Ok(state
        .app
        .update_user_checked(&who.caller(), id, &change)
        .await?)
}

pub async fn reset_password_checked(
    state: &AppState,
    who: &Principal,
    id: i64,
    pw: &str,
) -> ApiResult<()> {
    Ok(state
        .app
        .reset_password_checked(&who.caller(), id, pw)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/units", tag = "admin", responses((status = 200, description = "Units in your subtree, in tree order")))]
pub async fn list_units(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(state.units_under(&who.user.unit_path).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "admin", request_body = UnitInput,
    responses((status = 201, description = "Created"), (status = 422, description = "Invalid", body = crate::error::ErrorBody)))]
pub async fn create_unit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<UnitInput>,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_unit_checked(&state, &who, &input).await?),
    ))
}

/// The unit code in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct UnitCodePath {
    /// The unit's code.
    #[param(schema_with = super::schemas::unit_code)]
    code: String,
}

#[utoipa::path(patch, path = "/api/v1/units/{code}", tag = "admin", request_body = UnitNames,
    params(UnitCodePath), responses((status = 200, description = "Renamed")))]
pub async fn update_unit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(code): ApiPath<String>,
    JsonBody(input): JsonBody<UnitNames>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(
        update_unit_checked(&state, &who, &code, &input).await?,
    ))
}

/// Renames a unit or retires it, with its audit row. Units are never deleted.
pub async fn update_unit_checked(
    state: &AppState,
    who: &Principal,
    code: &str,
    input: &UnitNames,
) -> ApiResult<Unit> {
    let rename = app::admin::UnitRename {
        name: input.name.clone(),
        name_en: input.name_en.clone(),
        retired: input.retired,
    };
    Ok(state
        .app
        .update_unit_checked(&who.caller(), code, &rename)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin", responses((status = 200, description = "Users in your subtree"),
    (status = 403, description = "Not an admin", body = crate::error::ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<User>>> {
    who.require(Permission::Administer)?;
    Ok(Json(state.users_under(&who.user.unit_path).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = UserInput,
    responses((status = 201, description = "Created"), (status = 422, description = "Invalid", body = crate::error::ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<UserInput>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_user_checked(&state, &who, &input).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UserUpdate,
    params(("id" = i64, Path, description = "User id")), responses((status = 200, description = "Updated")))]
pub async fn update_user(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<UserUpdate>,
) -> ApiResult<Json<User>> {
    Ok(Json(update_user_checked(&state, &who, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "admin", request_body = PasswordReset,
    params(("id" = i64, Path, description = "User id")), responses((status = 204, description = "Password set; lockout cleared")))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<PasswordReset>,
) -> ApiResult<StatusCode> {
    reset_password_checked(&state, &who, id, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
