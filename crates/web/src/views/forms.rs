//! Posted forms: their fields, and a refusal said in words above the form.

use crate::error::ApiError;
use crate::i18n::Tr;

/// The text fields of a posted form, in order (a name may repeat, e.g. `cases`).
pub type Fields = Vec<(String, String)>;

/// The first value of the field `k`, or `""`.
pub fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Field errors as one line of their codes in words (`err-…`), for a form shown again.
pub fn errors_line(t: &Tr, errors: &domain::FieldErrors) -> String {
    errors
        .values()
        .map(|v| t.code("err", v))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a module's field labels and error texts are in the translations, e.g.
/// `svfield-reason` and `ds-err-…`. Codes without a text of the module's own use the
/// shared `err-…`.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub field: &'static str,
    pub err: &'static str,
}

fn error_text(t: &Tr, l: Labels, code: &str) -> String {
    let own = t.code(l.err, code);
    if own == code {
        t.code("err", code)
    } else {
        own
    }
}

/// A refused form as one line in the user's language: each field named, then what is
/// wrong with it. A field inside a list (`teams[0].members[1]`) is named with its
/// places (`… #1 #2`).
pub fn refusal_line(t: &Tr, e: &ApiError, l: Labels) -> String {
    match e {
        ApiError::Validation(fields) => fields
            .iter()
            .map(|(k, v)| {
                let base = k.split('[').next().unwrap_or(k);
                let places: String = k
                    .split('[')
                    .skip(1)
                    .filter_map(|p| p.split(']').next()?.parse::<usize>().ok())
                    .map(|n| format!(" #{}", n + 1))
                    .collect();
                let field = format!("{}{places}", t.code(l.field, base));
                format!(
                    "{} {}",
                    t.t1("err-field", "field", &field),
                    error_text(t, l, v)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => error_text(t, l, other.code()),
    }
}
