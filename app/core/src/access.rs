//! Who may do what with a document: groups, roles, visibilities and the one rule that decides,
//! plus each document's default owner and visibility. UI-free and I/O-free; the server keeps
//! accounts, memberships and per-document overrides, and asks [`may`] on every channel.
//!
//! The rule (decisions, also in app/core/README.md):
//! - A document has an owning group and a visibility. Public: anyone reads, even signed out.
//!   Members: any signed-in account reads. Group: only members of the owning group (and the
//!   Secretariat) know it exists.
//! - What a signed-in account may do on a public or members document without any role there
//!   is comment: "commentable by any member". A role in the owning group adds to that, never
//!   takes away (a viewer of a members document may still comment, like any member).
//! - A Secretariat membership counts as that role in every group: the Secretariat runs the
//!   programme. Changing a document's owner or visibility takes a Secretariat manager.
//! - Comments documents follow their ToR: reading either needs read, writing the ToR text
//!   needs edit, writing comments needs comment.

use crate::doc::{DocId, DocKind};
use crate::model::{ActivityFormat, Programme};
use std::collections::BTreeMap;
use std::fmt;

/// A group's stable id (a slug).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct GroupId(pub String);

impl GroupId {
    pub fn new(slug: &str) -> Self {
        Self(slug.to_owned())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The groups every installation starts with: (id, name). The Secretariat creates others
/// (expert groups) as it needs them.
pub const STANDING_GROUPS: [(&str, &str); 8] = [
    (SECRETARIAT, "Secretariat"),
    ("bureau", "Bureau"),
    (PERMANENT_CORRESPONDENTS, "Permanent Correspondents"),
    ("mednet", "MedNET"),
    (AIRPORTS_GROUP, "Airports Group"),
    (PRECURSOR_NETWORK, "International Network on Precursor Control"),
    ("drug-policy-academy", "Drug Policy Academy"),
    ("see-cooperation", "SEE cooperation"),
];

pub const SECRETARIAT: &str = "secretariat";
pub const PERMANENT_CORRESPONDENTS: &str = "permanent-correspondents";
pub const AIRPORTS_GROUP: &str = "airports-group";
pub const PRECURSOR_NETWORK: &str = "precursor-control";

/// A membership's role, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Commenter,
    Editor,
    Manager,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Commenter, Role::Editor, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Commenter => "commenter",
            Role::Editor => "editor",
            Role::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Members,
    Group,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Public, Visibility::Members, Visibility::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
            Visibility::Group => "group",
        }
    }

    pub fn parse(text: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

/// What someone wants to do with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Comment,
    Edit,
    /// Change the owner or the visibility.
    Manage,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Read, Action::Comment, Action::Edit, Action::Manage];
}

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Principal {
    #[default]
    SignedOut,
    Account {
        id: i64,
        memberships: BTreeMap<GroupId, Role>,
    },
}

impl Principal {
    /// The role this principal holds for a document owned by `owner`, counting the
    /// Secretariat's in every group.
    pub fn role_for(&self, owner: &GroupId) -> Option<Role> {
        let Principal::Account { memberships, .. } = self else { return None };
        let own = memberships.get(owner).copied();
        let secretariat = memberships.get(&GroupId::new(SECRETARIAT)).copied();
        own.max(secretariat)
    }
}

/// A document's owner and visibility.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocPolicy {
    pub owner: GroupId,
    pub visibility: Visibility,
}

/// Whether `who` may do `action` on a document under `policy` (see the module docs).
pub fn may(who: &Principal, policy: &DocPolicy, action: Action) -> bool {
    let signed_in = matches!(who, Principal::Account { .. });
    let role = who.role_for(&policy.owner);
    // What the visibility alone gives: signed out, public documents can be read; signed in,
    // public and members documents can be commented on.
    let base = match (policy.visibility, signed_in) {
        (Visibility::Public, false) => Some(Role::Viewer),
        (Visibility::Public | Visibility::Members, true) => Some(Role::Commenter),
        _ => None,
    };
    let Some(granted) = role.max(base) else { return false };
    match action {
        Action::Read => true,
        Action::Comment => granted >= Role::Commenter,
        Action::Edit => granted >= Role::Editor,
        Action::Manage => who.role_for(&GroupId::new(SECRETARIAT)) == Some(Role::Manager),
    }
}

/// Whether `who` may invite people into `group` and change its members' roles: the group's
/// managers, and the Secretariat's managers for every group.
pub fn may_manage_group(who: &Principal, group: &GroupId) -> bool {
    who.role_for(group) == Some(Role::Manager)
}

/// How strictly an installation applies the rule while sign-in is being rolled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Rule {
    /// [`may`] everywhere: the rule as designed.
    #[default]
    Strict,
    /// Group documents follow [`may`]; public and members documents may be read, commented on
    /// and edited by anyone, signed in or not (how the desk worked before accounts). Changing
    /// owners or visibility still takes a Secretariat manager.
    OpenExceptGroup,
}

/// [`may`] under an installation's [`Rule`].
pub fn may_under(rule: Rule, who: &Principal, policy: &DocPolicy, action: Action) -> bool {
    match rule {
        Rule::OpenExceptGroup if policy.visibility != Visibility::Group && action != Action::Manage => true,
        _ => may(who, policy, action),
    }
}

/// What writing to a document of this kind takes.
pub fn write_action(kind: DocKind) -> Action {
    match kind {
        DocKind::TermsOfReference => Action::Edit,
        DocKind::TorComments => Action::Comment,
    }
}

/// A document's owner and visibility unless the Secretariat changed them: a ToR belongs to
/// the group that runs its action or permanent activity and is visible to members, except
/// the Airports Group's and the Precursor network's, which are visible to the group only.
/// Comments documents have their ToR's. A document about nothing in the programme belongs to
/// the Secretariat, visible to the group only.
pub fn default_policy(doc: &DocId, programme: &Programme) -> DocPolicy {
    let subject = doc.subject();
    let owner = if let Some(action) = programme.action(subject) {
        Some(match action.format {
            ActivityFormat::PcWorkingParty | ActivityFormat::PcMeetingSymposium | ActivityFormat::ExpertGroup => PERMANENT_CORRESPONDENTS,
            ActivityFormat::DrugPolicyAcademy => "drug-policy-academy",
            ActivityFormat::SeeCoop => "see-cooperation",
            ActivityFormat::SeminarsSymposium | ActivityFormat::CooperationNetwork => SECRETARIAT,
        })
    } else if programme.permanent_activity(subject).is_some() {
        Some(match subject {
            "national-drug-policies" => PERMANENT_CORRESPONDENTS,
            "airports-group" => AIRPORTS_GROUP,
            "precursor-control" => PRECURSOR_NETWORK,
            "drug-policy-academy" => "drug-policy-academy",
            "mednet" => "mednet",
            "south-east-europe" => "see-cooperation",
            _ => SECRETARIAT,
        })
    } else {
        None
    };
    match owner {
        Some(owner) if owner == AIRPORTS_GROUP || owner == PRECURSOR_NETWORK => DocPolicy { owner: GroupId::new(owner), visibility: Visibility::Group },
        Some(owner) => DocPolicy { owner: GroupId::new(owner), visibility: Visibility::Members },
        None => DocPolicy { owner: GroupId::new(SECRETARIAT), visibility: Visibility::Group },
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
