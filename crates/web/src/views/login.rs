//! The login form, logout, and the language switch.

use super::{render, safe_next, tr, Nav};
use crate::api::session::{login_error, start_session};
use crate::auth::{
    self, authenticate, cookie, same_secret, LoginError, PageUser, LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
};
use crate::i18n::{Lang, ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form sets its own CSRF cookie (there is no session yet) and checks it back.
fn login_page(
    state: &AppState,
    t: Tr,
    next: &str,
    username: &str,
    error: Option<String>,
) -> Response {
    let csrf = auth::random_token();
    let page = LoginPage {
        t,
        nav: None,
        csrf: csrf.clone(),
        next: safe_next(next),
        username: username.into(),
        error,
    };
    let cookie = auth::set_cookie(
        LOGIN_CSRF_COOKIE,
        &csrf,
        Some(3600),
        state.config.secure_cookies,
    );
    ([(header::SET_COOKIE, cookie)], render(&page)).into_response()
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(q): Query<NextQuery>,
) -> Response {
    login_page(
        &state,
        tr(&state, lang),
        q.next.as_deref().unwrap_or(""),
        "",
        None,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let t = tr(&state, lang);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &f.csrf) {
        let msg = t.code("err", "csrf_mismatch");
        return login_page(&state, t, &f.next, &f.username, Some(msg));
    }
    match authenticate(&state, &f.username, &f.password, addr.ip()).await {
        Ok(user) => match start_session(&state, user.id).await {
            Ok((cookie, _)) => (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&safe_next(&f.next)),
            )
                .into_response(),
            Err(e) => super::error_page(&t, None, &e),
        },
        Err(LoginError::Throttled(l)) => {
            let minutes = l.retry_after.div_ceil(60).to_string();
            let msg = t.t1("sec-auth-login-throttled", "minutes", &minutes);
            let mut res = login_page(&state, t, &f.next, &f.username, Some(msg));
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            if let Ok(v) = HeaderValue::from_str(&l.retry_after.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(e) => {
            // A wrong password and a locked account read the same.
            let msg = t.code("err", login_error(e).code());
            login_page(&state, t, &f.next, &f.username, Some(msg))
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<CsrfForm>,
) -> Response {
    let t = tr(&state, lang);
    if !super::csrf_ok(&who, &f.csrf) {
        return super::csrf_refused(&t, &who);
    }
    if let Some((hash, _)) = &who.session {
        if let Err(e) = state.end_session(hash).await {
            return super::error_page(&t, Some(&who), &e.into());
        }
    }
    let cookie = auth::set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/staff/login")).into_response()
}

/// Sets the language cookie and goes back where the user was.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Zh);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .filter(|p| is_local_path(p))
        .unwrap_or_else(|| "/".into());
    let mut c = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if state.config.secure_cookies {
        c.push_str("; Secure");
    }
    ([(header::SET_COOKIE, c)], Redirect::to(&back)).into_response()
}

/// Whether `p` is a path on this site that a browser cannot read as another host: one
/// leading `/`, then neither `/` nor `\\` (`//evil`, `/\\evil`), and no control
/// characters or backslashes anywhere (browsers treat `\\` as `/`).
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p[1..].starts_with(['/', '\\'])
        && !p.contains('\\')
        && !p.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_plain_local_paths_are_redirect_targets() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/staff/cases?state=open"));
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil",
            "/a\\b",
            "evil",
            "/\t/evil",
            "",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
