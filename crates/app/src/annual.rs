//! The annual report (Art. 41): a unit's year in figures (counted through the queue's
//! own filters and the running tallies, so each equals what the queue and the rates
//! show), worded from an editable template, and kept as issued.

use crate::stats::{Figure, VolumeBy, VolumeRow};
use crate::{App, AppError, AppResult, Caller};
use chrono::{NaiveDate, TimeZone};
use domain::annual::{change_pct, fill, normalize_respondent, DocumentLang};
use domain::stats::Rate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use store::{CaseFilter, IssuedReport, Unit, YearActivity};

/// The wording that ships, used until an admin edits it.
pub const DEFAULT_ZH: &str = "{year}年，{unit}共登记信访事项{total}件，上年为{prev_total}件，同比变化{change_pct}。\n\n反映最集中的事项是“{top_category}”，信访量最多的单位是{top_unit}，被反映最多的对象是{top_respondent}。\n\n全年转送{transfers}件、交办{assigns}件；发出督办单{orders}份，已回复{orders_answered}份；问责{accountability}起。\n\n按期办结率{ontime_completion}，群众满意率{satisfaction}。\n\n主要工作：{done}";
pub const DEFAULT_EN: &str = "In {year}, {unit} registered {total} petitions, against {prev_total} the year before ({change_pct}).\n\nThe matter most complained about was \"{top_category}\"; the unit with the most petitions was {top_unit}; the respondent most named was {top_respondent}.\n\nThe office transferred {transfers} cases and assigned {assigns}; it issued {orders} supervision orders, {orders_answered} of them answered, and made {accountability} accountability records.\n\nOn-time completion was {ontime_completion}; satisfaction was {satisfaction}.\n\nWhat was done: {done}";

/// The default wording in `lang`.
pub fn default_template(lang: DocumentLang) -> &'static str {
    match lang {
        DocumentLang::Zh => DEFAULT_ZH,
        DocumentLang::En => DEFAULT_EN,
    }
}

/// One month: this year's and last year's cases received in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonthFigure {
    /// `YYYY-MM` of the report's year: the queue's `month` filter.
    pub month: String,
    pub count: i64,
    pub prev: i64,
}

/// A respondent as written most often, with the cases naming it in any spelling.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RespondentFigure {
    pub name: String,
    pub count: i64,
}

/// A unit's year in figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnnualFigures {
    pub unit: String,
    pub unit_name: String,
    pub unit_name_en: String,
    pub year: i32,
    /// Received on `from..=to`.
    pub from: String,
    pub to: String,
    pub total: i64,
    pub prev_total: i64,
    /// Percent, one decimal; none when the year before had no cases.
    pub change_pct: Option<f64>,
    pub months: Vec<MonthFigure>,
    pub by_channel: Vec<VolumeRow>,
    pub by_type: Vec<VolumeRow>,
    /// Top-level categories.
    pub by_category: Vec<VolumeRow>,
    /// The units right below, most petitions first (at most 10).
    pub top_units: Vec<VolumeRow>,
    /// The finest categories, most petitions first (at most 10).
    pub top_categories: Vec<VolumeRow>,
    /// At most 10.
    pub top_respondents: Vec<RespondentFigure>,
    pub activity: YearActivity,
    /// The whole subtree's rates over the year, in [`Rate::ALL`] order.
    pub rates: Vec<(Rate, Figure)>,
}

/// The report: its figures and its worded text.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub figures: AnnualFigures,
    /// The template as the unit sees it, and which unit's edit it is (none: the default).
    pub template: String,
    pub template_from: Option<(String, String)>,
    /// The text, filled; paragraphs are separated by blank lines.
    pub text: String,
}

const TOP: usize = 10;

fn percent(f: &Figure) -> String {
    if f.den == 0 {
        "—".into()
    } else {
        format!("{:.1}%", f.num as f64 * 100.0 / f.den as f64)
    }
}

fn top(mut rows: Vec<VolumeRow>) -> Vec<VolumeRow> {
    rows.retain(|r| r.count > 0);
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    rows.truncate(TOP);
    rows
}

impl App {
    /// The unit `code` (the caller's own by default) if it lies in the caller's scope.
    pub async fn report_unit(&self, who: &Caller, code: Option<&str>) -> AppResult<Unit> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => Ok(self.store.unit(who.unit_id).await?),
            Some(c) => {
                let u = self
                    .store
                    .unit_by_code(&c.trim_end_matches('!').to_ascii_uppercase())
                    .await
                    .map_err(|_| AppError::NotFound)?;
                if !who.scope().contains(&u.path) {
                    return Err(AppError::NotFound);
                }
                Ok(u)
            }
        }
    }

    /// The year's figures of the unit `code` and its subtree.
    pub async fn annual_figures(
        &self,
        who: &Caller,
        code: Option<&str>,
        year: i32,
    ) -> AppResult<AnnualFigures> {
        if !domain::stats::may_read_statistics(who.role) {
            return Err(AppError::Forbidden);
        }
        let unit = self.report_unit(who, code).await?;
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(AppError::field("year", "invalid_year"));
        };
        let filter = |y: i32| CaseFilter {
            unit_path: Some(unit.path.clone()),
            received_from: Some(format!("{y:04}-01-01")),
            received_to: Some(format!("{y:04}-12-31")),
            ..CaseFilter::default()
        };
        let this = filter(year);
        let before = filter(year - 1);
        let months_now = self.volume(who, &this, VolumeBy::Month).await?;
        let months_prev = self.volume(who, &before, VolumeBy::Month).await?;
        let prev_by: HashMap<String, i64> = months_prev
            .rows
            .iter()
            .map(|r| (r.key.get(5..).unwrap_or("").to_string(), r.count))
            .collect();
        let now_by: HashMap<&str, i64> = months_now
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.count))
            .collect();
        let months = (1..=12)
            .map(|m| {
                let key = format!("{year:04}-{m:02}");
                MonthFigure {
                    count: now_by.get(key.as_str()).copied().unwrap_or(0),
                    prev: prev_by.get(&format!("{m:02}")).copied().unwrap_or(0),
                    month: key,
                }
            })
            .collect();
        let by_channel = self.volume(who, &this, VolumeBy::Channel).await?.rows;
        let by_type = self.volume(who, &this, VolumeBy::Type).await?.rows;
        let by_category = self.volume(who, &this, VolumeBy::Category).await?.rows;
        let units = self.volume(who, &this, VolumeBy::Unit).await?.rows;
        let top_units = top(units.into_iter().filter(|r| !r.own).collect());
        // The finest categories: counted by code as registered, named from the tree.
        let cats = self.categories().await?;
        let names: HashMap<&str, (&str, &str)> = cats
            .iter()
            .map(|c| (c.code.as_str(), (c.name.as_str(), c.name_en.as_str())))
            .collect();
        let fine = self
            .store
            .volume(&who.scope(), &this, store::VolumeBy::Category)
            .await?
            .into_iter()
            .map(|r| {
                let (name, name_en) = names.get(r.key.as_str()).copied().unwrap_or(("", ""));
                VolumeRow {
                    key: r.key.clone(),
                    name: name.to_string(),
                    name_en: name_en.to_string(),
                    own: false,
                    drillable: false,
                    count: r.count,
                }
            })
            .collect();
        let top_categories = top(fine);
        let top_respondents = self.top_respondents(who, &this).await?;
        let tz = self.config.time_zone;
        let ms = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .map_or(0, |t| t.timestamp_millis())
        };
        let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(last);
        let activity = self
            .store
            .year_activity(
                &unit.path,
                (ms(first), ms(next)),
                (&first.to_string(), &last.to_string()),
            )
            .await?;
        let rates = self
            .rates(who, Some(&unit.code), Some(first), Some(last))
            .await?
            .total;
        let total = months_now.total;
        let prev_total = months_prev.total;
        Ok(AnnualFigures {
            unit: unit.code.clone(),
            unit_name: unit.name.clone(),
            unit_name_en: unit.name_en.clone(),
            year,
            from: first.to_string(),
            to: last.to_string(),
            total,
            prev_total,
            change_pct: change_pct(total, prev_total),
            months,
            by_channel,
            by_type,
            by_category,
            top_units,
            top_categories,
            top_respondents,
            activity,
            rates,
        })
    }

    /// Respondents grouped by their folded spelling, each named as most often written.
    async fn top_respondents(
        &self,
        who: &Caller,
        f: &CaseFilter,
    ) -> AppResult<Vec<RespondentFigure>> {
        let rows = self.store.respondent_volume(&who.scope(), f).await?;
        let mut groups: BTreeMap<String, (i64, String, i64)> = BTreeMap::new();
        for r in rows {
            let key = normalize_respondent(&r.key);
            if key.is_empty() {
                continue;
            }
            let g = groups.entry(key).or_insert((0, r.key.clone(), 0));
            g.0 += r.count;
            if r.count > g.2 {
                g.1 = r.key.trim().to_string();
                g.2 = r.count;
            }
        }
        let mut out: Vec<RespondentFigure> = groups
            .into_values()
            .map(|(count, name, _)| RespondentFigure { name, count })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        out.truncate(TOP);
        Ok(out)
    }

    /// The report's wording for `unit` in `lang`, and which unit's edit it is.
    pub async fn annual_template(
        &self,
        unit: &Unit,
        lang: DocumentLang,
    ) -> AppResult<(String, Option<(String, String)>)> {
        let t = self.store.annual_template(&unit.path, lang).await?;
        Ok(match t.from_unit {
            Some(from) => (t.body, Some(from)),
            None => (default_template(lang).to_string(), None),
        })
    }

    /// Sets the wording for the caller's unit's subtree (admins); an empty body goes back
    /// to the parent's or the default. Audited in the same transaction.
    pub async fn set_annual_template(
        &self,
        who: &Caller,
        lang: DocumentLang,
        body: &str,
    ) -> AppResult<()> {
        if !domain::annual::may_edit_template(who.role) {
            return Err(AppError::Forbidden);
        }
        if body.chars().count() > 20_000 {
            return Err(AppError::field("body", "too_long"));
        }
        let unit = self.store.unit(who.unit_id).await?;
        self.store
            .set_annual_template(&unit, lang, body, &who.actor())
            .await?;
        Ok(())
    }

    /// The report of `code` for `year` in `lang`, worded with `done` (what was done).
    pub async fn annual_report(
        &self,
        who: &Caller,
        code: Option<&str>,
        year: i32,
        lang: DocumentLang,
        done: &str,
    ) -> AppResult<AnnualReport> {
        let figures = self.annual_figures(who, code, year).await?;
        let unit = self.report_unit(who, code).await?;
        let (template, template_from) = self.annual_template(&unit, lang).await?;
        let text = self.word(&figures, &template, lang, done).await?;
        Ok(AnnualReport {
            figures,
            template,
            template_from,
            text,
        })
    }

    async fn word(
        &self,
        f: &AnnualFigures,
        template: &str,
        lang: DocumentLang,
        done: &str,
    ) -> AppResult<String> {
        let en = lang == DocumentLang::En;
        let none = if en { "none" } else { "无" };
        let named = |zh: &str, e: &str| {
            if en && !e.is_empty() {
                e.to_string()
            } else {
                zh.to_string()
            }
        };
        let rate = |r: Rate| {
            f.rates
                .iter()
                .find(|(x, _)| *x == r)
                .map_or("—".to_string(), |(_, fig)| percent(fig))
        };
        let mut v: BTreeMap<&str, String> = BTreeMap::new();
        v.insert("year", f.year.to_string());
        v.insert("unit", named(&f.unit_name, &f.unit_name_en));
        v.insert("total", f.total.to_string());
        v.insert("prev_total", f.prev_total.to_string());
        v.insert(
            "change_pct",
            f.change_pct
                .map_or("—".to_string(), |p| format!("{p:+.1}%")),
        );
        v.insert(
            "top_category",
            f.top_categories
                .first()
                .map_or(none.to_string(), |c| named(&c.name, &c.name_en)),
        );
        v.insert(
            "top_unit",
            f.top_units
                .first()
                .map_or(none.to_string(), |u| named(&u.name, &u.name_en)),
        );
        v.insert(
            "top_respondent",
            f.top_respondents
                .first()
                .map_or(none.to_string(), |r| r.name.clone()),
        );
        let a = &f.activity;
        v.insert("transfers", a.transfers.to_string());
        v.insert("assigns", a.assigns.to_string());
        v.insert("orders", a.orders.to_string());
        v.insert("orders_answered", a.orders_answered.to_string());
        v.insert("accountability", a.accountability.to_string());
        v.insert("ontime_completion", rate(Rate::Completion));
        v.insert("satisfaction", rate(Rate::Satisfaction));
        let done = done.trim();
        v.insert(
            "done",
            if done.is_empty() {
                none.to_string()
            } else {
                done.to_string()
            },
        );
        Ok(fill(template, &v))
    }

    /// Keeps the report as issued now (supervisors and leaders): figures frozen, text as
    /// worded. Each issue is a new version.
    pub async fn issue_annual_report(
        &self,
        who: &Caller,
        code: Option<&str>,
        year: i32,
        lang: DocumentLang,
        done: &str,
    ) -> AppResult<IssuedReport> {
        if !domain::annual::may_issue_report(who.role) {
            return Err(AppError::Forbidden);
        }
        if done.chars().count() > 20_000 {
            return Err(AppError::field("done", "too_long"));
        }
        let report = self.annual_report(who, code, year, lang, done).await?;
        let unit = self.report_unit(who, code).await?;
        let figures = serde_json::to_string(&report.figures)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self
            .store
            .issue_annual_report(
                &store::NewIssuedReport {
                    unit: &unit,
                    year: i64::from(year),
                    lang,
                    figures: &figures,
                    done_text: done,
                    body: &report.text,
                },
                &who.actor(),
            )
            .await?)
    }

    /// Reports issued in the caller's scope (of one unit and year when given).
    pub async fn issued_annual_reports(
        &self,
        who: &Caller,
        unit_year: Option<(&Unit, i32)>,
    ) -> AppResult<Vec<IssuedReport>> {
        Ok(self
            .store
            .issued_annual_reports(&who.scope(), unit_year.map(|(u, y)| (u.id, i64::from(y))))
            .await?)
    }

    pub async fn issued_annual_report(&self, who: &Caller, id: i64) -> AppResult<IssuedReport> {
        Ok(self.store.issued_annual_report(&who.scope(), id).await?)
    }
}
