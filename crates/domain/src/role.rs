//! Roles, what each may do, and the levels of the unit tree.

use crate::case::string_enum;

string_enum!(
    /// A staff role (see DOMAIN.md, "Who uses it").
    Role {
        Clerk => "clerk",
        Handler => "handler",
        Leader => "leader",
        Supervisor => "supervisor",
        Duty => "duty",
        Admin => "admin",
        Auditor => "auditor",
    }
);

/// The account the first start creates, with a one-time password: the office's first
/// admin.
pub const FIRST_ADMIN_USERNAME: &str = "admin";

string_enum!(
    /// A level of the unit tree. Departments hang below any level.
    UnitLevel {
        Province => "province",
        City => "city",
        County => "county",
        Township => "township",
        Village => "village",
        Department => "department",
    }
);

/// Something a user may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read cases in scope, including petitioners' personal data.
    ReadCases,
    /// Register a new case.
    Register,
    /// Correct a case's registration.
    EditCase,
    /// Manage units, users and categories.
    Administer,
    /// Read the audit log.
    ReadAudit,
    /// Follow the event feed of the cases in scope (auditors and integrations).
    ReadFeed,
    /// Name a case's owner leader, call people to a group visit and record who came;
    /// publish reception slots, answer appointment requests and log field visits.
    ManageOwnership,
    /// Keep the routing table.
    ManageRouting,
    /// Take petitioners' names and phones out of Hearken in an export. Roles that work
    /// cases, supervise or audit may; the duty desk and administrators export without
    /// them.
    ExportPersonalData,
    /// Link cases on one matter (duplicate, same matter, earlier stage), and remove a link.
    LinkCases,
    /// File the unit's daily report, write and acknowledge handovers (everyone who works
    /// cases or keeps duty; not auditors).
    FileReports,
    /// Set reporting schedules, declare special periods, plan the duty roster and keep
    /// leading groups.
    ManageDuty,
    /// Keep the dispute register (矛盾纠纷台账): enter disputes, plan and record their
    /// resolution, and answer screening campaigns. Auditors and others only read it.
    KeepDisputes,
    /// Open screening campaigns (排查) for the units below.
    RunScreenings,
}

impl Role {
    /// Whether the role works through API tokens: admins (scripts that manage units and
    /// users), auditors (exports of the audit log) and supervisors (reports and
    /// routing from other systems). Other roles work in the pages and see no token menu.
    pub fn uses_api_tokens(self) -> bool {
        matches!(self, Role::Admin | Role::Auditor | Role::Supervisor)
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match p {
            ReadCases => true,
            Register => matches!(self, Clerk | Supervisor | Admin | Duty | Handler),
            EditCase => matches!(self, Clerk | Supervisor | Handler | Admin),
            Administer => matches!(self, Admin),
            ReadAudit => matches!(self, Admin | Auditor),
            ReadFeed => matches!(self, Admin | Auditor),
            ManageOwnership => matches!(self, Supervisor | Leader),
            ManageRouting => matches!(self, Admin | Supervisor),
            ExportPersonalData => {
                matches!(self, Clerk | Handler | Leader | Supervisor | Auditor)
            }
            LinkCases => matches!(self, Clerk | Handler | Leader | Supervisor),
            FileReports => !matches!(self, Auditor),
            ManageDuty => matches!(self, Admin | Supervisor | Leader | Duty),
            KeepDisputes => matches!(self, Clerk | Handler | Leader | Supervisor),
            RunScreenings => matches!(self, Leader | Supervisor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_read_but_never_change() {
        assert!(Role::Auditor.can(Permission::ReadCases));
        assert!(Role::Auditor.can(Permission::ReadAudit));
        assert!(!Role::Auditor.can(Permission::Register));
        assert!(!Role::Auditor.can(Permission::EditCase));
        assert!(!Role::Auditor.can(Permission::Administer));
    }

    #[test]
    fn only_admins_administer() {
        for r in Role::ALL {
            assert_eq!(r.can(Permission::Administer), *r == Role::Admin);
        }
    }
}
