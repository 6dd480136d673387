//! The enumerations a case is described by: channel, type, stage and state.

macro_rules! string_enum {
    // Serialized by its variant names in snake_case rather than its codes: only for an enum
    // whose serde form is already stored (RouteMode inside event payloads).
    (serde_by_variant; $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        string_enum!(@impl $name { $($variant => $s),+ });
    };
    // Serialized as its code, the same string `as_str` gives and `parse` reads.
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $variant),+ }
        string_enum!(@impl $name { $($variant => $s),+ });
    };
    (@impl $name:ident { $($variant:ident => $s:literal),+ }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// How a petition reached the office.
    Channel {
        Letter => "letter",
        Visit => "visit",
        Phone => "phone",
        Online => "online",
        Email => "email",
        Fax => "fax",
        Transferred => "transferred",
        Assigned => "assigned",
    }
);

string_enum!(
    /// The three types of matter (建议意见 / 检举控告 / 申诉求决).
    CaseType {
        Suggestion => "suggestion",
        Accusation => "accusation",
        Claim => "claim",
    }
);

string_enum!(
    /// The lifecycle stage a case is in (DOMAIN.md, "The case lifecycle").
    Stage {
        Routing => "routing",
        Acceptance => "acceptance",
        Handling => "handling",
        ReplyDelivery => "reply_delivery",
        ReviewWindow => "review_window",
        Review => "review",
        ReviewDelivery => "review_delivery",
        RereviewWindow => "rereview_window",
        Rereview => "rereview",
        RereviewDelivery => "rereview_delivery",
        Concluded => "concluded",
        Directed => "directed",
        Declined => "declined",
        Closed => "closed",
        Voided => "voided",
    }
);

impl Stage {
    /// The coarse state shown in queues.
    pub fn state(self) -> CaseState {
        match self {
            Stage::Closed => CaseState::Closed,
            Stage::Voided => CaseState::Voided,
            _ => CaseState::Open,
        }
    }
}

string_enum!(
    /// Whether a case is still being worked.
    CaseState {
        Open => "open",
        Closed => "closed",
        Voided => "voided",
    }
);

impl CaseState {
    /// Still being worked: a closed or voided case's registration is a record.
    pub fn is_open(self) -> bool {
        self == CaseState::Open
    }
}

impl CaseType {
    /// Suggestions and accusations may be anonymous; a claim asks for the petitioner's own
    /// rights and needs someone to answer.
    pub fn may_be_anonymous(self) -> bool {
        matches!(self, CaseType::Suggestion | CaseType::Accusation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_serialized_as_the_code_and_read_back() {
        use crate::dispute::LegalChannel;
        use crate::inspection::{Answer, OrderKind};
        use crate::lifecycle::RouteMode;
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
        assert_eq!(
            json(serde_json::json!(LegalChannel::Mediation)),
            "people_mediation"
        );
        assert_eq!(json(serde_json::json!(Answer::NotApplicable)), "na");
        assert_eq!(
            json(serde_json::json!(OrderKind::Suspension)),
            "suspension_order"
        );
        let read: LegalChannel =
            serde_json::from_str("\"labour_arbitration\"").expect("a code reads back");
        assert_eq!(read, LegalChannel::Arbitration);
        // Stored event payloads hold a route's serde form, which stays as it was.
        assert_eq!(
            json(serde_json::json!(RouteMode::SelfHandle)),
            "self_handle"
        );
        assert_eq!(RouteMode::SelfHandle.as_str(), "self");
    }

    #[test]
    fn every_value_round_trips() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        for t in CaseType::ALL {
            assert_eq!(CaseType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(Channel::parse("pigeon"), None);
    }

    #[test]
    fn only_claims_need_a_named_petitioner() {
        assert!(CaseType::Suggestion.may_be_anonymous());
        assert!(CaseType::Accusation.may_be_anonymous());
        assert!(!CaseType::Claim.may_be_anonymous());
    }
}
