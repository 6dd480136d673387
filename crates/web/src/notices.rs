//! The notices of a case in the reader's language: the use case is `app::notices`; this
//! file gives it the words of the web's translations.

use crate::dates::document_date_str;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use app::model::{CaseEvent, CaseRecord};
use app::notices::NoticeWords;
pub use app::notices::{fill, kind_of, render, Notice};
use std::collections::HashMap;

impl NoticeWords for Tr {
    fn template_lang(&self) -> domain::annual::DocumentLang {
        if self.lang == Lang::En {
            domain::annual::DocumentLang::En
        } else {
            domain::annual::DocumentLang::Zh
        }
    }

    fn petitioner(&self) -> String {
        self.t("notice-petitioner")
    }

    fn outcome(&self, code: &str) -> String {
        self.code("outcome", code)
    }

    fn review_outcome(&self, code: &str) -> String {
        self.code("review-outcome", code)
    }

    fn document_date(&self, ymd: &str) -> String {
        document_date_str(self.lang, ymd)
    }
}

pub fn template_lang(t: &Tr) -> domain::annual::DocumentLang {
    NoticeWords::template_lang(t)
}

/// The placeholders every notice of the case shares.
pub fn case_values(t: &Tr, c: &CaseRecord) -> HashMap<&'static str, String> {
    app::notices::case_values(t, c)
}

/// Every notice the case's events call for, oldest first.
pub async fn notices_for(
    state: &AppState,
    t: &Tr,
    c: &CaseRecord,
    events: &[CaseEvent],
) -> Result<Vec<Notice>, app::AppError> {
    state.notices_for(t, c, events).await
}
