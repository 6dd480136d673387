//! Every string a person reads comes through Fluent: zh-CN by default, English too.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::convert::Infallible;
use std::sync::Arc;

const ZH: &str = include_str!("../i18n/zh-CN.ftl");
const EN: &str = include_str!("../i18n/en.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

pub struct I18n {
    zh: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let id: unic_langid::LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
    let res = FluentResource::try_new(source.to_string()).map_err(|(_, errs)| format!("{lang}.ftl: {errs:?}"))?;
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    b.add_resource(res).map_err(|errs| format!("{lang}.ftl: {errs:?}"))?;
    Ok(b)
}

impl I18n {
    pub fn load() -> Result<Arc<I18n>, String> {
        Ok(Arc::new(I18n { zh: bundle("zh-CN", ZH)?, en: bundle("en", EN)? }))
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message for `key`, or the key itself when it is missing (a test checks that
    /// none is).
    pub fn get(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let b = self.bundle(lang);
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = vec![];
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Every message id of a language, for the completeness test.
    pub fn keys(source_lang: Lang) -> Vec<String> {
        let src = match source_lang {
            Lang::Zh => ZH,
            Lang::En => EN,
        };
        src.lines()
            .filter_map(|l| {
                let (k, _) = l.split_once(" =")?;
                (!k.starts_with(' ') && !k.starts_with('#') && !k.is_empty()).then(|| k.trim().to_string())
            })
            .collect()
    }
}

/// The translator handed to templates: `{{ t.t("key") }}`.
#[derive(Clone)]
pub struct Tr {
    pub lang: Lang,
    i18n: Arc<I18n>,
}

impl Tr {
    pub fn new(lang: Lang, i18n: Arc<I18n>) -> Self {
        Tr { lang, i18n }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.get(self.lang, key, None)
    }

    /// A message with one named argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.i18n.get(self.lang, key, Some(&args))
    }

    /// A label for a coded value, e.g. `channel-visit`; falls back to the code.
    pub fn code(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}-{}", value.replace(['_', '.'], "-"));
        if self.i18n.has(self.lang, &key) {
            self.t(&key)
        } else {
            value.to_string()
        }
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }
}

/// The request's language: `?lang=` first, then the `lang` cookie, then zh-CN.
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
        let lang = from_query
            .or_else(|| crate::auth::cookie(&parts.headers, "lang").and_then(|v| Lang::parse(&v)))
            .unwrap_or(Lang::Zh);
        Ok(ReqLang(lang))
    }
}
