//! Store calls about `notice templates` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// The template for `kind` in `lang` (`zh` or `en`) for a notice issued by the unit at
    /// `unit_path`: the nearest edit up the tree, else the default.
    pub async fn notice_template(
        &self,
        unit_path: &str,
        kind: &str,
        lang: domain::annual::DocumentLang,
    ) -> AppResult<NoticeTemplate> {
        Ok(self.store.notice_template(unit_path, kind, lang).await?)
    }

    /// [`Store::notice_template`], with where it comes from.
    pub async fn notice_template_from(
        &self,
        unit_path: &str,
        kind: &str,
        lang: domain::annual::DocumentLang,
    ) -> AppResult<(NoticeTemplate, TemplateSource)> {
        Ok(self
            .store
            .notice_template_from(unit_path, kind, lang)
            .await?)
    }

    /// Every template as `unit` sees it, by kind then language.
    pub async fn notice_templates_for(&self, unit: &Unit) -> AppResult<Vec<UnitTemplate>> {
        Ok(self.store.notice_templates_for(unit).await?)
    }
}
