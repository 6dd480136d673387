//! What a person must do today: cases due, the unit's reports due, the team on duty and
//! the special period in force (the dashboard).

use crate::duty::DutyTeam;
use crate::reports::ReportDay;
use crate::{App, AppResult, Caller};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Today {
    /// Open cases in scope past their deadline, and due within the due-soon days.
    pub overdue: i64,
    pub due_soon: i64,
    /// The caller's unit's reporting day (windows, statuses, special period).
    pub reports: ReportDay,
    pub duty: Vec<DutyTeam>,
}

impl App {
    pub async fn today(&self, who: &Caller) -> AppResult<Today> {
        let (overdue, due_soon) = self.store.due_counts(&who.scope()).await?;
        Ok(Today {
            overdue,
            due_soon,
            reports: self.report_day(who, None, None).await?,
            duty: self.duty_teams(who).await?,
        })
    }
}
