-- Schema step 8: the managed list of delegations (issue 15: "one answer per delegation" and
-- "23 of 41 delegations" rest on a list the Secretariat keeps, not on what people typed).
-- The delegations accounts already name become the list's first entries (the Secretariat
-- removes any that are wrong once no account names them); an invitation carries the
-- delegation its maker chose from the list.
CREATE TABLE IF NOT EXISTS delegations (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    added_ms INTEGER NOT NULL
);
INSERT OR IGNORE INTO delegations (name, added_ms)
    SELECT DISTINCT trim(delegation), CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM accounts
    WHERE delegation IS NOT NULL AND trim(delegation) <> '';
ALTER TABLE invitations ADD COLUMN delegation TEXT;
PRAGMA user_version = 8;
