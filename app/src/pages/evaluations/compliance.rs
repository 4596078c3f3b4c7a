//! `/compliance`: "Compliance of activities and outputs with the set priorities", the
//! outcome evaluation's view that the Bureau and the autumn PC meeting monitor: per thematic
//! priority, each action against the matrix's eight outputs, expected versus delivered (from
//! its outcome report), with its contribution to the priority; then each permanent activity's
//! expected results. A table on wide screens, a card per activity on a phone; only shows
//! things, so it is rendered on the server and needs no JavaScript. One server function,
//! `GET /_app/compliance`.

use super::report::sentence;
use super::EvaluationStyles;
use crate::evaluation::{Contribution, Delivery, Expected, OutcomeReport, OutcomeScope, Tally};
use crate::model::{Output, Programme};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One cell: an output the matrix does not expect of the action (delivered anyway, or not),
/// or one it expects and its status (`None`: not reported), and whether more of its kind were
/// delivered without being expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    NotExpected,
    DeliveredUnexpected,
    Expected { status: Option<Delivery>, more: bool },
}

impl Cell {
    /// The cell's words ("" for an output neither expected nor delivered).
    pub fn words(self) -> String {
        let status = match self {
            Self::NotExpected => return String::new(),
            Self::DeliveredUnexpected => return "Delivered, not expected".to_owned(),
            Self::Expected { status: None, .. } => "Not reported",
            Self::Expected { status: Some(d), .. } => d.label(),
        };
        match self {
            Self::Expected { more: true, .. } => format!("{status}; more delivered, not expected"),
            _ => status.to_owned(),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::NotExpected => "cell none",
            Self::DeliveredUnexpected => "cell extra",
            Self::Expected { status: None, .. } => "cell unreported",
            Self::Expected { status: Some(Delivery::Delivered), .. } => "cell delivered",
            Self::Expected { status: Some(Delivery::Partly), .. } => "cell partly",
            Self::Expected { status: Some(Delivery::NotYet), .. } => "cell not-yet",
        }
    }
}

/// One activity's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub activity: String,
    pub name: String,
    /// A sub-action (indented under its action).
    pub sub: bool,
    /// One per `Output::ALL` column, for an action; none for a permanent activity.
    pub cells: Vec<Cell>,
    pub tally: Tally,
    /// Its contribution to its priority (an action's), as judged.
    pub contribution: Option<Contribution>,
}

/// One thematic priority's actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompliancePriority {
    pub id: String,
    /// "1. Good governance".
    pub name: String,
    pub rows: Vec<ComplianceRow>,
}

/// The whole view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplianceView {
    pub priorities: Vec<CompliancePriority>,
    pub permanent: Vec<ComplianceRow>,
}

impl ComplianceView {
    /// The view of `programme` with each activity's saved report in `reports` (activity id,
    /// report; an activity without one is all "not reported"), keeping only the activities
    /// `shown` lets the session see.
    pub fn build(programme: &Programme, reports: &[(String, OutcomeReport)], shown: impl Fn(&str) -> bool) -> Self {
        let report_of = |id: &str| reports.iter().find(|(a, _)| a == id).map(|(_, r)| r.clone()).unwrap_or_default();
        let priorities = programme
            .priorities
            .iter()
            .map(|p| CompliancePriority {
                id: p.id.clone(),
                name: format!("{}. {}", p.number, p.title),
                rows: programme
                    .actions()
                    .filter(|a| a.priority == p.id && shown(&a.id))
                    .map(|a| {
                        let (scope, report) = (OutcomeScope::action(a), report_of(&a.id));
                        let cells = Output::ALL
                            .into_iter()
                            .map(|o| {
                                let unexpected = report.unexpected.iter().any(|u| u.output == o);
                                match a.outputs.contains(&o) {
                                    true => Cell::Expected { status: report.status_of(Expected::Output(o)), more: unexpected },
                                    false if unexpected => Cell::DeliveredUnexpected,
                                    false => Cell::NotExpected,
                                }
                            })
                            .collect();
                        let contribution = report.priorities.iter().find(|j| j.priority == a.priority).and_then(|j| j.contribution);
                        ComplianceRow { activity: a.id.clone(), name: a.title.clone(), sub: a.level > 1, cells, tally: report.tally(&scope), contribution }
                    })
                    .collect(),
            })
            .collect();
        let permanent = programme
            .permanent_activities
            .iter()
            .filter(|a| shown(&a.id))
            .map(|a| {
                let scope = OutcomeScope::permanent_activity(a, programme);
                ComplianceRow {
                    activity: a.id.clone(),
                    name: a.name.clone(),
                    sub: false,
                    cells: Vec::new(),
                    tally: report_of(&a.id).tally(&scope),
                    contribution: None,
                }
            })
            .collect();
        Self { priorities, permanent }
    }
}

/// The view as the session may see it (see [`super::EvaluationDesk::compliance`]).
#[server(prefix = "/_app", endpoint = "compliance", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_compliance() -> Result<ComplianceView, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.compliance(headers).await?)
}

const TITLE: &str = "Compliance of activities and outputs with the set priorities";

#[component]
pub fn CompliancePage() -> impl IntoView {
    let view_of = Resource::new(|| (), |_| get_compliance());
    view! {
        <EvaluationStyles/>
        <Title text=TITLE/>
        <h1>{TITLE}</h1>
        <p>"The outcome evaluation: for each action, the outputs the matrix expects of it and what was delivered, as the Secretariat reports them; the Bureau and the autumn meeting of the Permanent Correspondents monitor it. Open an activity for its report and evidence."</p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the compliance view…"</p> }>
            {move || Suspend::new(async move {
                match view_of.await {
                    Err(e) => view! {
                        <p class="note">{sentence(&e)}" "<a href="/sign-in?next=/compliance">"Sign in"</a></p>
                    }.into_any(),
                    Ok(view_of) => view! { <Compliance view_of=view_of/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Compliance(view_of: ComplianceView) -> impl IntoView {
    view! {
        {view_of.priorities.into_iter().map(|p| view! {
            <section aria-labelledby=format!("{}-h", p.id)>
                <h2 id=format!("{}-h", p.id)>{p.name.clone()}</h2>
                {if p.rows.is_empty() { view! { <p class="note">"No action of this priority to show."</p> }.into_any() } else { view! {
                    <table class="compliance">
                        <caption class="visually-hidden">{format!("{}: expected and delivered outputs per action", p.name)}</caption>
                        <thead><tr>
                            <th scope="col">"Action"</th>
                            {Output::ALL.into_iter().map(|o| view! { <th scope="col" class="output-col">{o.label()}</th> }).collect_view()}
                            <th scope="col" class="contribution-col">"Contribution"</th>
                        </tr></thead>
                        <tbody>{p.rows.into_iter().map(|row| view! { <Row row=row/> }).collect_view()}</tbody>
                    </table>
                }.into_any() }}
            </section>
        }).collect_view()}
        <section aria-labelledby="permanent-h">
            <h2 id="permanent-h">"Permanent activities"</h2>
            <ul class="compliance-permanent">
                {view_of.permanent.into_iter().map(|row| view! {
                    <li><a href=format!("/outcomes/{}", row.activity)>{row.name}</a>{format!(": {}", row.tally.words())}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Row(row: ComplianceRow) -> impl IntoView {
    let class = if row.sub { "activity sub-action" } else { "activity" };
    view! {
        <tr class=class>
            <th scope="row"><a href=format!("/outcomes/{}", row.activity)>{row.name}</a><span class="tally">{row.tally.words()}</span></th>
            {row.cells.into_iter().zip(Output::ALL).map(|(cell, output)| view! {
                <td class=cell.class()>{(cell != Cell::NotExpected).then(|| view! { <span class="phone-label">{output.label()}": "</span>{cell.words()} })}</td>
            }).collect_view()}
            <td class="contribution"><span class="phone-label">"Contribution: "</span>{row.contribution.map_or("Not judged", Contribution::label)}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Evidence, UnexpectedReport};
    use crate::model::seed;

    #[test]
    fn each_cell_says_what_was_expected_and_what_was_delivered() {
        let programme = seed::programme();
        let action = programme.action("police-in-prevention").unwrap();
        let mut report = OutcomeScope::action(action).blank();
        report.expected[0].status = Some(Delivery::Delivered);
        let extra = |output| UnexpectedReport { output, name: "x".into(), evidence: Evidence::default() };
        report.unexpected = vec![extra(Output::Statement), extra(action.outputs[0])];
        let view = ComplianceView::build(&programme, &[(action.id.clone(), report)], |id| id != "airports-group");
        let row = view.priorities.iter().flat_map(|p| &p.rows).find(|r| r.activity == action.id).unwrap();
        let cell = |o: Output| row.cells[Output::ALL.iter().position(|x| *x == o).unwrap()];
        assert_eq!(cell(action.outputs[0]), Cell::Expected { status: Some(Delivery::Delivered), more: true });
        assert_eq!(cell(action.outputs[0]).words(), "Delivered; more delivered, not expected");
        assert_eq!(cell(action.outputs[1]), Cell::Expected { status: None, more: false });
        assert_eq!(cell(Output::Statement), Cell::DeliveredUnexpected);
        assert_eq!(cell(Output::Training), Cell::NotExpected);
        assert_eq!(row.tally.delivered, 1);
        // Every other action is listed, all unreported; what the session may not see is not.
        assert_eq!(view.priorities.iter().map(|p| p.rows.len()).sum::<usize>(), programme.actions().count());
        assert!(view.permanent.iter().all(|r| r.activity != "airports-group"));
        assert_eq!(view.permanent.len(), programme.permanent_activities.len() - 1);
    }
}
