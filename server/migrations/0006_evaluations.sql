-- Schema step 6: evaluations (issue 15). An evaluation is a form run for one activity on one
-- occasion; its form's versions are one JSON value (desk_core::evaluation::Versions), frozen
-- at the first accepted submission in the same transaction as that submission.
CREATE TABLE IF NOT EXISTS evaluations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    activity TEXT NOT NULL,
    format TEXT NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    -- SHA-256 of the participants' link secret (only the post-activity questionnaire has one).
    link_hash BLOB UNIQUE,
    versions TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_ms INTEGER NOT NULL
);
-- Every accepted submission, each revision of a respondent's answer kept (results count the
-- latest). `respondent` is never an account for an anonymous questionnaire: it is a digest
-- of the browser's random key and the evaluation, and `submitted` then a date only.
CREATE TABLE IF NOT EXISTS evaluation_submissions (
    evaluation TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    revision INTEGER NOT NULL,
    submitted TEXT NOT NULL,
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    submission TEXT NOT NULL,
    PRIMARY KEY (evaluation, respondent, revision)
);
-- A respondent's answers as last posted and refused (kept, so nothing typed is lost and the
-- form shows them again), until a submission is accepted.
CREATE TABLE IF NOT EXISTS evaluation_drafts (
    evaluation TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    answers TEXT NOT NULL,
    saved_ms INTEGER NOT NULL,
    PRIMARY KEY (evaluation, respondent)
);
PRAGMA user_version = 6;
