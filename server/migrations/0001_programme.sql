-- Schema step 1: the programme: priorities, actions, outputs, permanent activities, prose.
-- IF NOT EXISTS: a database made before the switch to sqlx::migrate! (which counted steps in
-- PRAGMA user_version only) already has these tables; running this step on it changes nothing
-- but sqlx's record of applied steps (see server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS programme_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS programme_texts (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS priorities (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    items_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    priority_id TEXT NOT NULL REFERENCES priorities(id),
    parent_id TEXT REFERENCES actions(id),
    title TEXT NOT NULL,
    format TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS action_outputs (
    action_id TEXT NOT NULL REFERENCES actions(id),
    output TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (action_id, output)
);
CREATE TABLE IF NOT EXISTS permanent_activities (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    aims TEXT NOT NULL,
    expected_results_lead TEXT,
    expected_results_json TEXT NOT NULL
);
PRAGMA user_version = 1;
