//! Every string a person reads comes through Fluent: zh-CN by default, English too.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::convert::Infallible;
use std::sync::Arc;

/// The message files of each language: the staff pages, and the public portal.
const ZH: &[&str] = &[
    include_str!("../i18n/zh-CN.ftl"),
    include_str!("../i18n/portal.zh-CN.ftl"),
    include_str!("../i18n/sec-scope.zh-CN.ftl"),
    include_str!("../i18n/sec-auth.zh-CN.ftl"),
    include_str!("../i18n/pilot-notices.zh-CN.ftl"),
    include_str!("../i18n/pilot-queue.zh-CN.ftl"),
    include_str!("../i18n/pilot-flow.zh-CN.ftl"),
    include_str!("../i18n/search.zh-CN.ftl"),
    include_str!("../i18n/exports.zh-CN.ftl"),
    include_str!("../i18n/linking.zh-CN.ftl"),
    include_str!("../i18n/supervision.zh-CN.ftl"),
    include_str!("../i18n/stats.zh-CN.ftl"),
    include_str!("../i18n/duty.zh-CN.ftl"),
    include_str!("../i18n/inspections.zh-CN.ftl"),
    include_str!("../i18n/plans.zh-CN.ftl"),
    include_str!("../i18n/annual.zh-CN.ftl"),
    include_str!("../i18n/disputes.zh-CN.ftl"),
    include_str!("../i18n/registers.zh-CN.ftl"),
    include_str!("../i18n/groups.zh-CN.ftl"),
];
const EN: &[&str] = &[
    include_str!("../i18n/en.ftl"),
    include_str!("../i18n/portal.en.ftl"),
    include_str!("../i18n/sec-scope.en.ftl"),
    include_str!("../i18n/sec-auth.en.ftl"),
    include_str!("../i18n/pilot-notices.en.ftl"),
    include_str!("../i18n/pilot-queue.en.ftl"),
    include_str!("../i18n/pilot-flow.en.ftl"),
    include_str!("../i18n/search.en.ftl"),
    include_str!("../i18n/exports.en.ftl"),
    include_str!("../i18n/linking.en.ftl"),
    include_str!("../i18n/supervision.en.ftl"),
    include_str!("../i18n/stats.en.ftl"),
    include_str!("../i18n/duty.en.ftl"),
    include_str!("../i18n/inspections.en.ftl"),
    include_str!("../i18n/plans.en.ftl"),
    include_str!("../i18n/annual.en.ftl"),
    include_str!("../i18n/disputes.en.ftl"),
    include_str!("../i18n/registers.en.ftl"),
    include_str!("../i18n/groups.en.ftl"),
];

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

fn bundle(lang: &str, sources: &[&str]) -> Result<FluentBundle<FluentResource>, String> {
    let id: unic_langid::LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    for source in sources {
        let res = FluentResource::try_new(source.to_string())
            .map_err(|(_, errs)| format!("{lang}.ftl: {errs:?}"))?;
        b.add_resource(res)
            .map_err(|errs| format!("{lang}.ftl: {errs:?}"))?;
    }
    Ok(b)
}

impl I18n {
    pub fn load() -> Result<Arc<I18n>, String> {
        Ok(Arc::new(I18n {
            zh: bundle("zh-CN", ZH)?,
            en: bundle("en", EN)?,
        }))
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
        src.iter()
            .flat_map(|s| s.lines())
            .filter_map(|l| {
                let (k, _) = l.split_once(" =")?;
                (!k.starts_with(' ') && !k.starts_with('#') && !k.is_empty())
                    .then(|| k.trim().to_string())
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
        self.targs(key, &[(name, value)])
    }

    /// A message with named arguments.
    pub fn targs(&self, key: &str, pairs: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in pairs {
            args.set(name.to_string(), FluentValue::from(value.to_string()));
        }
        self.i18n.get(self.lang, key, Some(&args))
    }

    /// A label for a coded value, e.g. `channel-visit`; falls back to the code.
    pub fn code(&self, prefix: &str, value: &(impl AsRef<str> + ?Sized)) -> String {
        let value = value.as_ref();
        let key = format!("{prefix}-{}", value.replace(['_', '.'], "-"));
        if self.i18n.has(self.lang, &key) {
            self.t(&key)
        } else {
            value.to_string()
        }
    }

    /// A field's label by its form or API name (`password` → 密码,
    /// `petitioners[0].phone` → 联系电话), never the bare name when a label exists.
    pub fn field_label(&self, name: &str) -> String {
        let last = name.rsplit('.').next().unwrap_or(name);
        let bare = last.split('[').next().unwrap_or(last).replace('_', "-");
        ["label", "field", "afield"]
            .iter()
            .map(|prefix| format!("{prefix}-{bare}"))
            .find(|key| self.i18n.has(self.lang, key))
            .map(|key| self.t(&key))
            .unwrap_or_else(|| name.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sources(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                sources(&p, out);
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("rs" | "html")) {
                out.push_str(&std::fs::read_to_string(&p).expect("read"));
            }
        }
    }

    /// Every message a page asks for exists in both languages, and neither file has a
    /// message the other lacks.
    #[test]
    fn every_used_key_is_translated_in_both_languages() {
        let i18n = I18n::load().expect("bundles parse");
        let zh: std::collections::BTreeSet<_> = I18n::keys(Lang::Zh).into_iter().collect();
        let en: std::collections::BTreeSet<_> = I18n::keys(Lang::En).into_iter().collect();
        assert_eq!(zh, en, "zh-CN.ftl and en.ftl must define the same messages");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut text = String::new();
        sources(&root.join("src"), &mut text);
        sources(&root.join("templates"), &mut text);
        let mut missing = vec![];
        for marker in ["t.t(\"", "t.t1(\"", "t.targs(\""] {
            for part in text.split(marker).skip(1) {
                let key = part.split('"').next().unwrap_or("");
                if key.is_empty() || key == "key" {
                    continue;
                }
                for lang in [Lang::Zh, Lang::En] {
                    if !i18n.has(lang, key) {
                        missing.push(format!("{}:{key}", lang.code()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }

    #[test]
    fn every_coded_value_has_a_label() {
        let i18n = I18n::load().expect("bundles parse");
        let mut keys = vec![];
        keys.extend(
            domain::Channel::ALL
                .iter()
                .map(|c| format!("channel-{}", c.as_str())),
        );
        keys.extend(
            domain::CaseType::ALL
                .iter()
                .map(|c| format!("type-{}", c.as_str())),
        );
        keys.extend(
            domain::CaseState::ALL
                .iter()
                .map(|c| format!("state-{}", c.as_str())),
        );
        keys.extend(
            domain::Stage::ALL
                .iter()
                .map(|c| format!("stage-{}", c.as_str())),
        );
        keys.extend(
            domain::Role::ALL
                .iter()
                .map(|c| format!("role-{}", c.as_str())),
        );
        keys.extend(
            domain::UnitLevel::ALL
                .iter()
                .map(|c| format!("level-{}", c.as_str())),
        );
        for lang in [Lang::Zh, Lang::En] {
            for k in &keys {
                assert!(
                    i18n.has(lang, &k.replace('_', "-")),
                    "{} lacks {k}",
                    lang.code()
                );
            }
        }
    }

    /// Chinese pages say nothing in English or in the system's internal words (a
    /// placeholder such as `{petitioner}` in the template help is the template's syntax).
    #[test]
    fn chinese_messages_carry_no_internal_words() {
        let i18n = I18n::load().expect("bundles parse");
        let internal = [
            "readme",
            "root-",
            "portal",
            "petitioner",
            "demo",
            "deadline job",
            "cn-2022",
            "password",
        ];
        let mut found = vec![];
        for key in I18n::keys(Lang::Zh) {
            let text = i18n.get(Lang::Zh, &key, None);
            // Drop `{placeholder}` spans: what remains is what a reader sees.
            let mut plain = String::new();
            let mut depth = 0;
            for c in text.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            let plain = plain.to_lowercase();
            for word in internal {
                if plain.contains(word) {
                    found.push(format!("{key}: {word}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "internal words on Chinese pages: {found:?}"
        );
    }

    #[test]
    fn messages_differ_between_languages() {
        let i18n = I18n::load().expect("bundles parse");
        assert_eq!(i18n.get(Lang::Zh, "login-title", None), "工作人员登录");
        assert_eq!(i18n.get(Lang::En, "login-title", None), "Staff login");
    }
}
