//! Linking cases on one matter (duplicate, same matter, earlier stage), and whether a
//! related case's matter is concluded, so that a new petition on it is flagged for the
//! repeat rule (Art. 36) while it is being registered. Matters are linked, never people.

use crate::lifecycle::life_from;
use crate::{App, AppError, AppResult, Caller};
use domain::link::{check_pair, may_link, Reach};
use domain::LinkKind;
use serde::Serialize;
use std::collections::HashMap;
use store::{CaseSummary, LinkRow, Scope, StoreError};

/// Where a related case stands, as the registration form flags it.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedState {
    pub state: domain::CaseState,
    pub stage: domain::Stage,
    /// The matter is concluded (see `domain::lifecycle::Life::concluded`): a new petition
    /// on the same facts and reasons falls under the repeat rule (Art. 36).
    pub concluded: bool,
}

impl App {
    /// Links case `id` to `other` as `kind` (the kind reads from `id`: "`id` is a
    /// duplicate of `other`", "`other` is an earlier stage of `id`"), with an event on
    /// both cases. Returns `id`'s links.
    pub async fn link_cases(
        &self,
        who: &Caller,
        id: i64,
        other: i64,
        kind: LinkKind,
    ) -> AppResult<Vec<LinkRow>> {
        let (this, that) = self.link_pair(who, id, other).await?;
        match self
            .store
            .link_cases(&this, &that, kind, &who.actor())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Duplicate { .. }) => {
                return Err(AppError::field("other", "already_linked"))
            }
            Err(e) => return Err(e.into()),
        }
        Ok(self.store.case_links(&who.scope(), id).await?)
    }

    /// Removes the link between case `id` and `other`, with an event on both cases.
    /// Returns `id`'s links.
    pub async fn unlink_cases(&self, who: &Caller, id: i64, other: i64) -> AppResult<Vec<LinkRow>> {
        let (this, that) = self.link_pair(who, id, other).await?;
        match self.store.unlink_cases(&this, &that, &who.actor()).await {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(AppError::field("other", "not_linked")),
            Err(e) => return Err(e.into()),
        }
        Ok(self.store.case_links(&who.scope(), id).await?)
    }

    /// The links of case `id`, if it is in scope.
    pub async fn case_links(&self, scope: &Scope, id: i64) -> AppResult<Vec<LinkRow>> {
        Ok(self.store.case_links(scope, id).await?)
    }

    /// Both cases, checked against the rule for who may link them.
    async fn link_pair(
        &self,
        who: &Caller,
        id: i64,
        other: i64,
    ) -> AppResult<(CaseSummary, CaseSummary)> {
        let scope = who.scope();
        let this = self.store.case_summary(&scope, id).await?;
        check_pair(id, other).map_err(|code| AppError::field("other", code))?;
        let that = match self.store.case_summary(&scope, other).await {
            Ok(that) => Some(that),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let reach = |in_scope| Reach::of(who.role, in_scope);
        if !may_link(reach(true), reach(that.is_some())) {
            return Err(match that {
                None if who.role.can(domain::Permission::LinkCases) => {
                    AppError::field("other", "unknown_case")
                }
                _ => AppError::Forbidden,
            });
        }
        let that = that.ok_or_else(|| AppError::field("other", "unknown_case"))?;
        Ok((this, that))
    }

    /// Where each of these cases (those in scope) stands, and whether its matter is
    /// concluded as of today.
    pub async fn related_states(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> AppResult<HashMap<i64, RelatedState>> {
        let today = self.config.today();
        Ok(self
            .store
            .case_lives(scope, ids)
            .await?
            .into_iter()
            .map(|c| {
                let life = life_from(&c.lifecycle, c.stage, "", None);
                let state = RelatedState {
                    concluded: life.concluded(today),
                    state: c.state,
                    stage: c.stage,
                };
                (c.id, state)
            })
            .collect())
    }
}
