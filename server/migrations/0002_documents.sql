-- Schema step 2: documents: the update log and one snapshot per document.
-- IF NOT EXISTS: a database made before the switch to sqlx::migrate! (which counted steps in
-- PRAGMA user_version only) already has these tables; running this step on it changes nothing
-- but sqlx's record of applied steps (see server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS doc_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc_id, id);
CREATE TABLE IF NOT EXISTS doc_snapshots (
    doc_id TEXT PRIMARY KEY,
    upto_id INTEGER NOT NULL,
    data BLOB NOT NULL
);
PRAGMA user_version = 2;
