//! The access rule as one table: every kind of principal × every visibility × every action,
//! so that no combination is forgotten. The server's channel matrix asserts the same table
//! through HTTP and WebSockets.

use super::*;
use crate::model::seed;

/// (who, [visibility; per action Read, Comment, Edit, Manage]) for a document owned by MedNET.
/// R = read, C = comment, E = edit, M = manage; '-' = refused.
const TABLE: [(&str, [&str; 3]); 9] = [
    //                       public   members  group
    ("signed out", ["R---", "----", "----"]),
    ("member, no group", ["RC--", "RC--", "----"]),
    ("viewer", ["RC--", "RC--", "R---"]),
    ("commenter", ["RC--", "RC--", "RC--"]),
    ("editor", ["RCE-", "RCE-", "RCE-"]),
    ("manager", ["RCE-", "RCE-", "RCE-"]),
    ("other group's editor", ["RC--", "RC--", "----"]),
    ("Secretariat viewer", ["RC--", "RC--", "R---"]),
    ("Secretariat manager", ["RCEM", "RCEM", "RCEM"]),
];

fn account(memberships: &[(&str, Role)]) -> Principal {
    Principal::Account { id: 7, memberships: memberships.iter().map(|(g, r)| (GroupId::new(g), *r)).collect() }
}

/// The principal a table row names.
pub(crate) fn principal(who: &str) -> Principal {
    match who {
        "signed out" => Principal::SignedOut,
        "member, no group" => account(&[]),
        "viewer" => account(&[("mednet", Role::Viewer)]),
        "commenter" => account(&[("mednet", Role::Commenter)]),
        "editor" => account(&[("mednet", Role::Editor)]),
        "manager" => account(&[("mednet", Role::Manager)]),
        "other group's editor" => account(&[(AIRPORTS_GROUP, Role::Editor)]),
        "Secretariat viewer" => account(&[(SECRETARIAT, Role::Viewer)]),
        "Secretariat manager" => account(&[(SECRETARIAT, Role::Manager)]),
        other => panic!("no principal {other:?} in the table"),
    }
}

#[test]
fn every_principal_visibility_and_action_as_the_table_says() {
    let mut checked = 0;
    for (who, row) in TABLE {
        let principal = principal(who);
        for (visibility, expected) in Visibility::ALL.into_iter().zip(row) {
            let policy = DocPolicy { owner: GroupId::new("mednet"), visibility };
            let got: String =
                Action::ALL.into_iter().zip("RCEM".chars()).map(|(action, letter)| if may(&principal, &policy, action) { letter } else { '-' }).collect();
            assert_eq!(got, expected, "{who} on a {visibility:?} document");
            checked += 1;
        }
    }
    assert_eq!(checked, 27);
}

#[test]
fn the_open_rule_opens_all_but_group_documents_and_managing() {
    for (who, row) in TABLE {
        let principal = principal(who);
        for (visibility, strict) in Visibility::ALL.into_iter().zip(row) {
            let policy = DocPolicy { owner: GroupId::new("mednet"), visibility };
            for (action, letter) in Action::ALL.into_iter().zip("RCEM".chars()) {
                let expected = if visibility == Visibility::Group || action == Action::Manage { strict.contains(letter) } else { true };
                assert_eq!(may_under(Rule::OpenExceptGroup, &principal, &policy, action), expected, "{who} {visibility:?} {action:?}");
                assert_eq!(may_under(Rule::Strict, &principal, &policy, action), strict.contains(letter));
            }
        }
    }
}

#[test]
fn defaults_follow_who_runs_the_work_and_keep_law_enforcement_material_in_its_group() {
    let programme = seed::programme();
    let policy = |id: &str| default_policy(&DocId::parse(id).unwrap(), &programme);
    for id in ["tor/airports-group", "tor/airports-group/comments"] {
        assert_eq!(policy(id), DocPolicy { owner: GroupId::new(AIRPORTS_GROUP), visibility: Visibility::Group });
    }
    assert_eq!(policy("tor/precursor-control"), DocPolicy { owner: GroupId::new(PRECURSOR_NETWORK), visibility: Visibility::Group });
    assert_eq!(policy("tor/mednet").owner, GroupId::new("mednet"));
    // Every ToR of the programme has a standing group as its owner; all but two are for members.
    let standing: Vec<&str> = STANDING_GROUPS.iter().map(|(id, _)| *id).collect();
    let all = DocId::all_terms_of_reference(&programme);
    assert_eq!(all.len(), 33);
    for doc in &all {
        let p = default_policy(doc, &programme);
        assert!(standing.contains(&p.owner.as_str()), "{doc:?} owned by {:?}", p.owner);
        assert_eq!(default_policy(&doc.comments(), &programme), p, "comments follow their ToR");
    }
    let group_only = all.iter().filter(|d| default_policy(d, &programme).visibility == Visibility::Group).count();
    assert_eq!(group_only, 2);
    // An action's format decides: the Drug Policy Academy runs its own.
    let academy = programme.actions().find(|a| a.format == ActivityFormat::DrugPolicyAcademy).unwrap();
    assert_eq!(policy(&format!("tor/{}", academy.id)).owner, GroupId::new("drug-policy-academy"));
    // Nothing in the programme: the Secretariat's, hidden.
    assert_eq!(policy("tor/not-in-the-programme"), DocPolicy { owner: GroupId::new(SECRETARIAT), visibility: Visibility::Group });
}

#[test]
fn writing_takes_edit_for_text_and_comment_for_comments() {
    assert_eq!(write_action(DocKind::TermsOfReference), Action::Edit);
    assert_eq!(write_action(DocKind::TorComments), Action::Comment);
}

#[test]
fn roles_and_visibilities_read_back() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
    for visibility in Visibility::ALL {
        assert_eq!(Visibility::parse(visibility.as_str()), Some(visibility));
    }
    assert_eq!(Role::parse("admin"), None);
    assert_eq!(Visibility::parse(""), None);
}

#[test]
fn a_group_is_managed_by_its_managers_and_the_secretariats() {
    let mednet = GroupId::new("mednet");
    assert!(may_manage_group(&account(&[("mednet", Role::Manager)]), &mednet));
    assert!(may_manage_group(&account(&[(SECRETARIAT, Role::Manager)]), &mednet));
    assert!(!may_manage_group(&account(&[("mednet", Role::Editor)]), &mednet));
    assert!(!may_manage_group(&account(&[(SECRETARIAT, Role::Editor)]), &mednet));
    assert!(!may_manage_group(&account(&[("bureau", Role::Manager)]), &mednet));
    assert!(!may_manage_group(&Principal::SignedOut, &mednet));
}
