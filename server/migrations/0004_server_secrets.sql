-- Schema step 4: server secrets (the document-token key).
-- IF NOT EXISTS: a database made before the switch to sqlx::migrate! (which counted steps in
-- PRAGMA user_version only) already has these tables; running this step on it changes nothing
-- but sqlx's record of applied steps (see server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS server_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
PRAGMA user_version = 4;
