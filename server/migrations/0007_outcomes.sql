-- Schema step 7: the outcome evaluation (issue 15). Each action's and permanent activity's
-- outcome report (desk_core::evaluation::OutcomeReport as JSON), every saved revision kept:
-- the latest is the report, and a save made from an older revision is merged with what was
-- saved since (desk_core::evaluation::merge), the older words staying here.
CREATE TABLE IF NOT EXISTS outcome_revisions (
    activity TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision > 0),
    report TEXT NOT NULL,
    saved_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    saved_ms INTEGER NOT NULL,
    PRIMARY KEY (activity, revision)
);
PRAGMA user_version = 7;
