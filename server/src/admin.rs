//! `server admin …` (accounts, roles, visibility, the list of delegations) and `server token issue` from the command
//! line, against the same database the server uses. Passwords come from `PD_PASSWORD` or
//! standard input.

use crate::accounts::Accounts;
use crate::config::{AdminCommand, DelegationCommand, TokenCommand};
use anyhow::{bail, Context};
use desk_core::access::{DocPolicy, GroupId, Role, Visibility, SECRETARIAT};

pub async fn run(accounts: &Accounts, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Create { email, name } => {
            let account = accounts.create(&email, &name, &read_password()?, None).await?;
            accounts.set_role(&account.email, &GroupId::new(SECRETARIAT), Some(Role::Manager), None).await?;
            println!("created {} as a Secretariat manager", account.email);
        }
        AdminCommand::Account { email, name, delegation, roles } => {
            let roles = roles.iter().map(|pair| group_role(pair)).collect::<anyhow::Result<Vec<_>>>()?;
            let groups = accounts.groups().await?;
            if let Some((group, _)) = roles.iter().find(|(group, _)| !groups.iter().any(|(id, _)| id == group.as_str())) {
                bail!("there is no group {group:?}");
            }
            let account = accounts.create(&email, &name, &read_password()?, delegation.as_deref()).await?;
            for (group, role) in &roles {
                accounts.set_role(&account.email, group, Some(*role), None).await?;
            }
            println!("created {}", account.email);
        }
        AdminCommand::SignOut { email } => {
            let ended = accounts.sign_out_everywhere(&email).await?;
            println!("{email}: {ended} sessions ended");
        }
        AdminCommand::Visibility { doc, owner, visibility } => {
            let doc = desk_core::doc::DocId::parse(&doc)?;
            let visibility = Visibility::parse(&visibility).with_context(|| format!("{visibility:?} is not a visibility (public, members, group)"))?;
            accounts.set_policy(&doc, &DocPolicy { owner: GroupId::new(&owner), visibility }, None).await?;
            println!("{doc}: owned by {owner}, visible to {}", visibility.as_str());
        }
        AdminCommand::Delegation { command } => match command {
            DelegationCommand::Add { name } => println!("{} is on the list", accounts.add_delegation(&name, None).await?),
            DelegationCommand::Remove { name } => {
                accounts.remove_delegation(&name, None).await?;
                println!("{} removed", name.trim());
            }
            DelegationCommand::List => accounts.delegations().await?.iter().for_each(|name| println!("{name}")),
        },
        AdminCommand::Role { email, group, role } => {
            let role = match role.as_str() {
                "none" => None,
                other => Some(parse_role(other)?),
            };
            accounts.set_role(&email, &GroupId::new(&group), role, None).await?;
            println!("{email} in {group}: {}", role.map_or("removed", Role::as_str));
        }
    }
    Ok(())
}

pub async fn run_token(accounts: &Accounts, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Issue { user, doc, ttl } => {
            let doc = desk_core::doc::DocId::parse(&doc)?;
            let ttl_ms = crate::accounts::token::parse_ttl(&ttl).with_context(|| format!("{ttl:?} is not a validity (90s, 30m, 12h, 7d; at most 30d)"))?;
            println!("{}", accounts.issue_token(&user, &doc, ttl_ms).await?);
        }
    }
    Ok(())
}

fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).with_context(|| format!("{text:?} is not a role (viewer, commenter, editor, manager, none)"))
}

/// `GROUP=ROLE`.
fn group_role(pair: &str) -> anyhow::Result<(GroupId, Role)> {
    let (group, role) = pair.split_once('=').with_context(|| format!("{pair:?}: give a role as GROUP=ROLE, e.g. mednet=editor"))?;
    Ok((GroupId::new(group.trim()), parse_role(role.trim())?))
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("PD_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password: set PD_PASSWORD or give it on standard input");
    }
    Ok(password)
}
