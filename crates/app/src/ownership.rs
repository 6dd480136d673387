//! The owner leader of a case (包案) and who must attend a group visit (集体访): who may
//! manage them is `Permission::ManageOwnership`, who must attend is
//! `domain::attendance::required`; this file reads the people those rules name.

use crate::{App, AppError, AppResult, Caller};
use domain::attendance::{required, Why};
use domain::{Permission, Role, UnitLevel};
use serde::Serialize;
use store::{AttendanceRow, StoreError};

/// Someone who must attend, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Required {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub why: Why,
}

/// A case's group visit: who must attend, who was told and who came.
#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    pub headcount: i64,
    /// Who must attend, by the group's size.
    pub required: Vec<Required>,
    /// Who was told, and who came.
    pub recorded: Vec<AttendanceRow>,
}

impl App {
    /// The case's owner leader, if any.
    pub async fn case_owner(&self, who: &Caller, id: i64) -> AppResult<Option<store::User>> {
        Ok(self.store.case_owner(&who.scope(), id).await?)
    }

    /// Makes the leader `username`, active and in the caller's scope, the case's owner.
    pub async fn assign_owner(&self, who: &Caller, id: i64, username: &str) -> AppResult<()> {
        who.require(Permission::ManageOwnership)?;
        let owner = match self.store.user_by_name(username.trim()).await {
            Ok(u) if u.role == Role::Leader && u.active && who.scope().contains(&u.unit_path) => u,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(AppError::field("user", "not_a_leader_in_scope"))
            }
            Err(e) => return Err(e.into()),
        };
        Ok(self
            .store
            .set_owner(&who.scope(), id, &owner, &who.actor())
            .await?)
    }

    /// Who must attend the case's group visit (from its head count, its unit's leaders
    /// and its owner), who was told and who came.
    pub async fn attendance(&self, who: &Caller, id: i64) -> AppResult<Attendance> {
        let scope = who.scope();
        let case = self.store.case_summary(&scope, id).await?;
        let unit = self.store.unit(case.unit_id).await?;
        let leaders = |unit_id| self.store.unit_staff(unit_id, &[Role::Leader]);
        let (unit_leaders, department_heads) = if unit.level == UnitLevel::Department {
            let heads = leaders(unit.id).await?;
            let above = match unit.parent_id {
                Some(p) => leaders(p).await?,
                None => vec![],
            };
            (above, heads)
        } else {
            (leaders(unit.id).await?, vec![])
        };
        let owner = self.store.case_owner(&scope, id).await?.map(|u| u.id);
        let mut people = vec![];
        for (uid, why) in required(case.headcount, &unit_leaders, &department_heads, owner) {
            let u = self.store.user(uid).await?;
            people.push(Required {
                user_id: uid,
                username: u.username,
                display_name: u.display_name,
                why,
            });
        }
        Ok(Attendance {
            headcount: case.headcount,
            required: people,
            recorded: self.store.attendance(&scope, id).await?,
        })
    }

    /// Tells everyone who must attend, in the app (once each).
    pub async fn notify_attendance(&self, who: &Caller, id: i64) -> AppResult<Attendance> {
        who.require(Permission::ManageOwnership)?;
        let a = self.attendance(who, id).await?;
        if a.required.is_empty() {
            return Err(AppError::field("headcount", "not_a_group_visit"));
        }
        let people: Vec<(i64, Why)> = a.required.iter().map(|r| (r.user_id, r.why)).collect();
        self.store
            .notify_attendance(&who.scope(), id, &people, &who.actor())
            .await?;
        self.attendance(who, id).await
    }

    /// Records who came, by username: only people who were told.
    pub async fn record_attendance(
        &self,
        who: &Caller,
        id: i64,
        usernames: &[String],
    ) -> AppResult<Attendance> {
        who.require(Permission::ManageOwnership)?;
        let a = self.attendance(who, id).await?;
        let mut ids = vec![];
        for name in usernames {
            match a.recorded.iter().find(|r| r.username == name.trim()) {
                Some(r) => ids.push(r.user_id),
                None => return Err(AppError::field("attended", "not_notified")),
            }
        }
        self.store
            .record_attendance(&who.scope(), id, &ids, &who.actor())
            .await?;
        self.attendance(who, id).await
    }
}
