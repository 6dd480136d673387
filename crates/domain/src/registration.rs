//! Registering a petition: the raw input as a person or an API client sends it, and the
//! validated [`Registration`] that may be stored. Every problem is reported at once, per
//! field, so that a clerk can fix them all in one go.

use crate::case::{CaseType, Channel};
use crate::codes::{RegionCode, UnitCode};
use crate::error::{DomainError, FieldErrors};
use crate::petitioner::{IdNumber, Petitioner, PhoneNumber};
use crate::text::{Line, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// At most five elected representatives speak for a group (2022 regulation, Art. 20).
pub const MAX_REPRESENTATIVES: usize = 5;
/// A group visit (集体访) is five or more people.
pub const GROUP_THRESHOLD: i64 = 5;
pub const MAX_CONTENT_CHARS: usize = 20_000;
pub const MAX_DEMANDS_CHARS: usize = 5_000;
pub const MAX_SHORT_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 50;
pub const MAX_PETITIONERS: usize = 200;
pub const MAX_HEADCOUNT: i64 = 100_000;

/// A petitioner as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewPetitioner {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// A representative, named by position in `petitioners` or by name.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RepresentativeRef {
    Index(usize),
    Name(String),
}

/// A registration as sent by a form or an API client: nothing is trusted yet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewCase {
    #[serde(default)]
    pub channel: String,
    #[serde(default, rename = "type")]
    pub case_type: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub petitioners: Vec<NewPetitioner>,
    #[serde(default)]
    pub headcount: Option<i64>,
    #[serde(default)]
    pub representatives: Vec<RepresentativeRef>,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub respondent: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub demands: Option<String>,
    /// The day the petition was received, if earlier than today (a letter, say).
    #[serde(default)]
    pub received_on: Option<String>,
}

/// A validated registration, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub channel: Channel,
    pub case_type: CaseType,
    pub category: String,
    pub region: RegionCode,
    pub unit: Option<UnitCode>,
    pub petitioners: Vec<Petitioner>,
    /// Indexes into `petitioners`.
    pub representatives: Vec<usize>,
    pub headcount: i64,
    pub anonymous: bool,
    pub respondent: String,
    pub content: String,
    pub demands: String,
    pub received_on: NaiveDate,
}

impl Registration {
    pub fn is_group(&self) -> bool {
        self.headcount >= GROUP_THRESHOLD
    }
}

struct Checker {
    errors: FieldErrors,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, code: &str) {
        self.errors
            .entry(field.into())
            .or_insert_with(|| code.to_string());
    }

    /// One line (a name, an address, the respondent): no control characters.
    fn line(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let parsed = if required {
            Line::required(value, max)
        } else {
            Line::parse(value, max)
        };
        match parsed {
            Ok(v) => v.into_string(),
            Err(e) => {
                self.fail(field, e.code());
                value.trim().to_string()
            }
        }
    }

    /// Multi-line text (content, demands): line breaks and tabs, no other controls.
    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let parsed = if required {
            Text::required(value, max)
        } else {
            Text::parse(value, max)
        };
        match parsed {
            Ok(v) => v.into_string(),
            Err(e) => {
                self.fail(field, e.code());
                value.trim().to_string()
            }
        }
    }
}

impl NewCase {
    /// Validates the input. `category_exists` answers whether a category code is known;
    /// `today` is the registration day in the office's time zone.
    pub fn validate(
        &self,
        category_exists: &dyn Fn(&str) -> bool,
        today: NaiveDate,
    ) -> Result<Registration, DomainError> {
        let mut c = Checker {
            errors: FieldErrors::new(),
        };

        let channel = Channel::parse(self.channel.trim());
        if channel.is_none() {
            c.fail(
                "channel",
                if self.channel.trim().is_empty() {
                    "required"
                } else {
                    "invalid_channel"
                },
            );
        }
        let case_type = CaseType::parse(self.case_type.trim());
        if case_type.is_none() {
            c.fail(
                "type",
                if self.case_type.trim().is_empty() {
                    "required"
                } else {
                    "invalid_type"
                },
            );
        }
        let category = self.category.trim().to_string();
        if category.is_empty() {
            c.fail("category", "required");
        } else if !category_exists(&category) {
            c.fail("category", "unknown_category");
        }
        let region = RegionCode::parse(&self.region);
        if region.is_none() {
            c.fail(
                "region",
                if self.region.trim().is_empty() {
                    "required"
                } else {
                    "invalid_region"
                },
            );
        }
        let unit = match self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(u) => {
                let parsed = UnitCode::parse(u);
                if parsed.is_none() {
                    c.fail("unit", "invalid_unit");
                }
                parsed
            }
        };

        if self.anonymous {
            if case_type.is_some_and(|t| !t.may_be_anonymous()) {
                c.fail("anonymous", "claim_not_anonymous");
            }
            if !self.petitioners.is_empty() {
                c.fail("petitioners", "anonymous_with_petitioners");
            }
        } else if self.petitioners.is_empty() {
            c.fail("petitioners", "required");
        }
        if self.petitioners.len() > MAX_PETITIONERS {
            c.fail("petitioners", "too_many");
        }

        let mut petitioners = Vec::with_capacity(self.petitioners.len());
        for (i, p) in self.petitioners.iter().enumerate() {
            let name = c.line(
                &format!("petitioners[{i}].name"),
                &p.name,
                true,
                MAX_NAME_CHARS,
            );
            let phone = match p.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => {
                    let v = PhoneNumber::parse(s);
                    if v.is_none() {
                        c.fail(format!("petitioners[{i}].phone"), "invalid_phone");
                    }
                    v
                }
            };
            let id_number = match p
                .id_number
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                None => None,
                Some(s) => {
                    let v = IdNumber::parse(s);
                    if v.is_none() {
                        c.fail(format!("petitioners[{i}].id_number"), "invalid_id_number");
                    }
                    v
                }
            };
            let address = p
                .address
                .as_deref()
                .map(|a| {
                    c.line(
                        &format!("petitioners[{i}].address"),
                        a,
                        false,
                        MAX_SHORT_CHARS,
                    )
                })
                .filter(|a| !a.is_empty());
            petitioners.push(Petitioner {
                name,
                phone,
                id_number,
                address,
            });
        }

        let named = petitioners.len() as i64;
        let headcount = self.headcount.unwrap_or(named.max(1));
        if !(1..=MAX_HEADCOUNT).contains(&headcount) {
            c.fail("headcount", "invalid_headcount");
        } else if headcount < named {
            c.fail("headcount", "headcount_below_petitioners");
        }

        let mut representatives = Vec::new();
        if self.representatives.len() > MAX_REPRESENTATIVES {
            c.fail("representatives", "too_many_representatives");
        } else if !self.representatives.is_empty() && headcount < GROUP_THRESHOLD {
            c.fail("representatives", "representatives_need_group");
        }
        for r in &self.representatives {
            let idx = match r {
                RepresentativeRef::Index(i) => (*i < petitioners.len()).then_some(*i),
                RepresentativeRef::Name(n) => petitioners.iter().position(|p| p.name == n.trim()),
            };
            match idx {
                Some(i) if !representatives.contains(&i) => representatives.push(i),
                Some(_) => c.fail("representatives", "duplicate_representative"),
                None => c.fail("representatives", "representative_not_petitioner"),
            }
        }

        let respondent = c.line(
            "respondent",
            self.respondent.as_deref().unwrap_or(""),
            false,
            MAX_SHORT_CHARS,
        );
        let content = c.text("content", &self.content, true, MAX_CONTENT_CHARS);
        let demands_required = case_type == Some(CaseType::Claim);
        let demands = c.text(
            "demands",
            self.demands.as_deref().unwrap_or(""),
            demands_required,
            MAX_DEMANDS_CHARS,
        );

        let received_on = match self
            .received_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => today,
            Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    c.fail("received_on", "date_in_future");
                    today
                }
                Ok(d) if (today - d).num_days() > 366 => {
                    c.fail("received_on", "date_too_old");
                    today
                }
                Ok(d) => d,
                Err(_) => {
                    c.fail("received_on", "invalid_date");
                    today
                }
            },
        };

        match (channel, case_type, region) {
            (Some(channel), Some(case_type), Some(region)) if c.errors.is_empty() => {
                Ok(Registration {
                    channel,
                    case_type,
                    category,
                    region,
                    unit,
                    petitioners,
                    representatives,
                    headcount,
                    anonymous: self.anonymous,
                    respondent,
                    content,
                    demands,
                    received_on,
                })
            }
            _ => Err(DomainError::Validation(c.errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
    }

    fn known(code: &str) -> bool {
        code == "labor.wages"
    }

    fn valid() -> NewCase {
        NewCase {
            channel: "visit".into(),
            case_type: "claim".into(),
            category: "labor.wages".into(),
            region: "330102".into(),
            petitioners: vec![NewPetitioner {
                name: "张三".into(),
                phone: Some("13800000000".into()),
                id_number: None,
                address: Some("西湖区文三路1号".into()),
            }],
            content: "工地拖欠工资三个月。".into(),
            demands: Some("请求督促支付工资。".into()),
            ..Default::default()
        }
    }

    fn field_errors(input: &NewCase) -> FieldErrors {
        match input.validate(&known, today()) {
            Err(DomainError::Validation(f)) => f,
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn a_plain_claim_is_accepted() {
        let r = valid().validate(&known, today()).expect("valid");
        assert_eq!(r.headcount, 1);
        assert_eq!(r.received_on, today());
        assert!(!r.is_group());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut input = valid();
        input.channel = "pigeon".into();
        input.region = "12".into();
        input.category = "nope".into();
        input.petitioners[0].phone = Some("call me".into());
        let f = field_errors(&input);
        assert_eq!(
            f.get("channel").map(String::as_str),
            Some("invalid_channel")
        );
        assert_eq!(f.get("region").map(String::as_str), Some("invalid_region"));
        assert_eq!(
            f.get("category").map(String::as_str),
            Some("unknown_category")
        );
        assert_eq!(
            f.get("petitioners[0].phone").map(String::as_str),
            Some("invalid_phone")
        );
    }

    #[test]
    fn claims_cannot_be_anonymous_but_accusations_can() {
        let mut input = valid();
        input.anonymous = true;
        input.petitioners.clear();
        assert_eq!(
            field_errors(&input).get("anonymous").map(String::as_str),
            Some("claim_not_anonymous")
        );
        input.case_type = "accusation".into();
        let r = input
            .validate(&known, today())
            .expect("anonymous accusation");
        assert!(r.anonymous && r.petitioners.is_empty());
    }

    #[test]
    fn group_petitions_have_at_most_five_representatives_from_the_petitioners() {
        let mut input = valid();
        input.petitioners = (0..7)
            .map(|i| NewPetitioner {
                name: format!("工人{i}"),
                ..Default::default()
            })
            .collect();
        input.headcount = Some(40);
        input.representatives = (0..6).map(RepresentativeRef::Index).collect();
        assert_eq!(
            field_errors(&input)
                .get("representatives")
                .map(String::as_str),
            Some("too_many_representatives")
        );
        input.representatives = vec![
            RepresentativeRef::Index(0),
            RepresentativeRef::Name("外人".into()),
        ];
        assert_eq!(
            field_errors(&input)
                .get("representatives")
                .map(String::as_str),
            Some("representative_not_petitioner")
        );
        input.representatives = vec![
            RepresentativeRef::Index(0),
            RepresentativeRef::Name("工人3".into()),
        ];
        let r = input.validate(&known, today()).expect("group");
        assert!(r.is_group());
        assert_eq!(r.representatives, vec![0, 3]);
    }

    #[test]
    fn headcount_cannot_be_below_named_petitioners() {
        let mut input = valid();
        input.headcount = Some(0);
        assert_eq!(
            field_errors(&input).get("headcount").map(String::as_str),
            Some("invalid_headcount")
        );
    }

    #[test]
    fn markup_and_sql_are_kept_verbatim() {
        let mut input = valid();
        input.content = "<script>alert(1)</script>'; DROP TABLE cases; --".into();
        let r = input.validate(&known, today()).expect("valid");
        assert_eq!(r.content, input.content);
    }

    #[test]
    fn received_on_must_not_be_in_the_future() {
        let mut input = valid();
        input.received_on = Some("2026-12-01".into());
        assert_eq!(
            field_errors(&input).get("received_on").map(String::as_str),
            Some("date_in_future")
        );
        input.received_on = Some("2026-11-20".into());
        assert_eq!(
            input.validate(&known, today()).expect("valid").received_on,
            NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
        );
    }

    proptest! {
        #[test]
        fn validation_never_panics_and_accepts_only_clean_text(content in "\\PC{0,50}", name in "\\PC{0,60}") {
            let mut input = valid();
            input.content = content;
            input.petitioners[0].name = name;
            if let Ok(r) = input.validate(&known, today()) {
                prop_assert!(!r.content.is_empty());
                prop_assert!(r.petitioners[0].name.chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
