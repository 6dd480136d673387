//! Safety inspection campaigns (安全隐患排查): the kinds of establishment, checklist
//! answers, hazard severities, and the road of a hazard from its finding through a
//! rectification order (整改通知) and a re-inspection to, when it was not fixed, a
//! suspension order (停业整顿). Establishments are places, never people.

use crate::case::string_enum;
use crate::role::Role;
use chrono::{Duration, NaiveDate};

string_enum!(
    /// What an establishment is.
    EstablishmentKind {
        SchoolCanteen => "school_canteen",
        KindergartenCanteen => "kindergarten_canteen",
        EnterpriseCanteen => "enterprise_canteen",
        ConstructionSiteCanteen => "construction_site_canteen",
        Restaurant => "restaurant",
        DrugWholesaler => "drug_wholesaler",
        Clinic => "clinic",
        Pharmacy => "pharmacy",
    }
);

impl EstablishmentKind {
    /// The kind as an import file may write it: its code or its Chinese name.
    pub fn from_cell(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::parse(s).or_else(|| Self::ALL.iter().copied().find(|k| k.zh() == s))
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::SchoolCanteen => "学校食堂",
            Self::KindergartenCanteen => "幼儿园食堂",
            Self::EnterpriseCanteen => "企业食堂",
            Self::ConstructionSiteCanteen => "工地食堂",
            Self::Restaurant => "餐馆",
            Self::DrugWholesaler => "药品批发企业",
            Self::Clinic => "诊所",
            Self::Pharmacy => "药店",
        }
    }

    /// The checklist a kind starts with, until an admin edits it.
    pub fn default_checklist(self) -> &'static [&'static str] {
        const CANTEEN: &[&str] = &[
            "食品经营许可证在有效期内并公示",
            "从业人员持有效健康证明",
            "原料进货查验及索证索票记录完整",
            "生熟分开，冷藏冷冻设施温度正常",
            "餐具清洗消毒设施正常使用",
            "防鼠防蝇防虫设施完好",
            "食品留样 48 小时以上并记录",
            "燃气、消防设施完好，通道畅通",
        ];
        const SCHOOL: &[&str] = &[
            "食品经营许可证在有效期内并公示",
            "学校负责人陪餐制度落实",
            "从业人员持有效健康证明",
            "原料进货查验及索证索票记录完整",
            "食品留样 48 小时以上并记录",
            "餐具清洗消毒设施正常使用",
            "后厨明厨亮灶",
            "燃气、消防设施完好，通道畅通",
        ];
        const DRUGS: &[&str] = &[
            "药品经营许可证在有效期内",
            "执业药师在岗",
            "药品购进验收记录完整可追溯",
            "阴凉库温湿度监测记录正常",
            "处方药凭处方销售",
            "无过期、失效药品",
        ];
        const CLINIC: &[&str] = &[
            "医疗机构执业许可证在有效期内",
            "医务人员具备执业资格",
            "医疗废物分类收集、交接记录完整",
            "消毒灭菌记录完整",
            "药品储存条件符合要求",
            "消防设施完好，疏散通道畅通",
        ];
        match self {
            Self::SchoolCanteen | Self::KindergartenCanteen => SCHOOL,
            Self::EnterpriseCanteen | Self::ConstructionSiteCanteen | Self::Restaurant => CANTEEN,
            Self::DrugWholesaler | Self::Pharmacy => DRUGS,
            Self::Clinic => CLINIC,
        }
    }
}

string_enum!(
    /// How grave a hazard is.
    Severity {
        General => "general",
        Serious => "serious",
        Critical => "critical",
    }
);

string_enum!(
    /// One answer on a checklist.
    Answer {
        Pass => "pass",
        Fail => "fail",
        NotApplicable => "na",
    }
);

string_enum!(
    /// Where a hazard stands.
    HazardState {
        /// Found; no order yet.
        Open => "open",
        /// A rectification order is out.
        Rectifying => "rectifying",
        /// The re-inspection found it fixed.
        Fixed => "fixed",
        /// The re-inspection found it not fixed; a suspension order is due.
        NotFixed => "not_fixed",
        /// Suspended (停业整顿).
        Suspended => "suspended",
    }
);

string_enum!(
    /// The documents a hazard leads to.
    OrderKind {
        Rectification => "rectification_order",
        Suspension => "suspension_order",
    }
);

impl OrderKind {
    /// The letters an order's number starts with: 整改 (ZG) or 停业 (TY).
    pub fn number_prefix(self) -> &'static str {
        match self {
            OrderKind::Rectification => "ZG",
            OrderKind::Suspension => "TY",
        }
    }
}

/// What can happen to a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HazardStep {
    IssueRectification,
    Reinspect { fixed: bool },
    IssueSuspension,
}

/// Where a step takes a hazard, or `None` when the step does not apply.
pub fn next_state(state: HazardState, step: HazardStep) -> Option<HazardState> {
    use HazardState::*;
    match (state, step) {
        (Open, HazardStep::IssueRectification) => Some(Rectifying),
        (Rectifying, HazardStep::Reinspect { fixed: true }) => Some(Fixed),
        (Rectifying, HazardStep::Reinspect { fixed: false }) => Some(NotFixed),
        (NotFixed, HazardStep::IssueSuspension) => Some(Suspended),
        _ => None,
    }
}

/// Whether a hazard still counts as open on the campaign's progress.
pub fn is_open(state: HazardState) -> bool {
    !matches!(state, HazardState::Fixed | HazardState::Suspended)
}

/// Days given to rectify when the order does not say: 15.
pub const DEFAULT_RECTIFY_DAYS: i64 = 15;
/// Most days a rectification order may give.
pub const MAX_RECTIFY_DAYS: i64 = 90;

/// The rectification deadline, `days` calendar days after the order.
pub fn rectify_due(issued: NaiveDate, days: i64) -> NaiveDate {
    issued + Duration::days(days)
}

/// Whether an order's deadline has passed with the hazard still under rectification.
pub fn order_overdue(state: HazardState, due_on: NaiveDate, today: NaiveDate) -> bool {
    state == HazardState::Rectifying && due_on < today
}

/// Who records inspections, imports establishments and runs campaigns.
pub fn may_inspect(role: Role) -> bool {
    matches!(
        role,
        Role::Clerk | Role::Handler | Role::Leader | Role::Supervisor | Role::Admin
    )
}

/// Who edits the checklists: administrators.
pub fn may_edit_checklists(role: Role) -> bool {
    role == Role::Admin
}

/// A region code in an establishment register: exactly six digits (a county).
pub fn region_code_ok(s: &str) -> bool {
    let s = s.trim();
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && s != "000000"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hazard_not_fixed_leads_to_suspension() {
        let s = next_state(HazardState::Open, HazardStep::IssueRectification);
        assert_eq!(s, Some(HazardState::Rectifying));
        let s = next_state(
            HazardState::Rectifying,
            HazardStep::Reinspect { fixed: false },
        );
        assert_eq!(s, Some(HazardState::NotFixed));
        assert_eq!(
            next_state(HazardState::NotFixed, HazardStep::IssueSuspension),
            Some(HazardState::Suspended)
        );
        assert_eq!(
            next_state(HazardState::Open, HazardStep::IssueSuspension),
            None
        );
        assert_eq!(
            next_state(HazardState::Fixed, HazardStep::IssueSuspension),
            None
        );
    }

    #[test]
    fn kinds_read_from_codes_and_chinese_names() {
        assert_eq!(
            EstablishmentKind::from_cell(" 药店 "),
            Some(EstablishmentKind::Pharmacy)
        );
        assert_eq!(
            EstablishmentKind::from_cell("clinic"),
            Some(EstablishmentKind::Clinic)
        );
        assert_eq!(EstablishmentKind::from_cell("网吧"), None);
        for k in EstablishmentKind::ALL {
            assert!(!k.default_checklist().is_empty());
        }
    }

    #[test]
    fn region_codes_are_six_digits() {
        assert!(region_code_ok("330106"));
        assert!(!region_code_ok("33010"));
        assert!(!region_code_ok("33010a"));
        assert!(!region_code_ok("330106001"));
    }

    #[test]
    fn overdue_only_while_rectifying() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        assert!(order_overdue(HazardState::Rectifying, d, today));
        assert!(!order_overdue(HazardState::Fixed, d, today));
        assert!(!order_overdue(HazardState::Rectifying, today, today));
    }
}
