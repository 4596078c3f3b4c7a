-- Schema step 3: accounts, groups, memberships, sessions, document policies, audit log.
-- IF NOT EXISTS: a database made before the switch to sqlx::migrate! (which counted steps in
-- PRAGMA user_version only) already has these tables; running this step on it changes nothing
-- but sqlx's record of applied steps (see server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    delegation TEXT,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memberships (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES groups(id),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'commenter', 'editor', 'manager')),
    PRIMARY KEY (account_id, group_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_policies (
    doc_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL REFERENCES groups(id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'group'))
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    event TEXT NOT NULL,
    account_id INTEGER,
    detail TEXT NOT NULL
);
PRAGMA user_version = 3;
