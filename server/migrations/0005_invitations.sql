-- Schema step 5: invitations.
-- IF NOT EXISTS: a database made before the switch to sqlx::migrate! (which counted steps in
-- PRAGMA user_version only) already has these tables; running this step on it changes nothing
-- but sqlx's record of applied steps (see server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS invitations (
    token_hash BLOB PRIMARY KEY,
    email TEXT COLLATE NOCASE,
    group_id TEXT NOT NULL REFERENCES groups(id),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'commenter', 'editor', 'manager')),
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
);
PRAGMA user_version = 5;
