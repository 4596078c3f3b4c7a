-- Schema step 9: the evaluation templates the Secretariat's managers edit (issue 15). One row
-- per format answered as questions, written at the first edit or the first evaluation made
-- from it (until then the template is the one in the code, desk_core::evaluation::template);
-- `versions` is desk_core's `Versions` as JSON: a version an evaluation was made from is
-- frozen, and a change to it makes the next version.
CREATE TABLE IF NOT EXISTS evaluation_templates (
    format TEXT PRIMARY KEY,
    versions TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
PRAGMA user_version = 9;
