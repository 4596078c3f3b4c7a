//! A data folder written before the schema moved to `sqlx::migrate!` (schema v5, counted by
//! `PRAGMA user_version`, made by the server of commit 5a94d92) opens with today's server and
//! keeps every document, account and session. The folder is `tests/fixtures/schema-v5/`;
//! `make_schema_v5_fixture` below made it (see its comment) and is kept to show how.

mod support;

use desk_core::doc::{DocId, TorDoc, TorSection};
use reqwest::header::COOKIE;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};
use std::path::{Path, PathBuf};
use support::client::Client;
use support::{sign_in, TestServer};

const DOC: &str = "tor/nps";
const TEXT: &str = "Written by the server of schema v5, kept by every later one.";
const EMAIL: &str = "legacy@coe.int";
/// Tables that must come through unchanged, row for row (documents are compared by content:
/// the log may be compacted when a room closes).
const KEPT_TABLES: [&str; 8] = ["accounts", "groups", "memberships", "sessions", "doc_policies", "server_secrets", "invitations", "programme_meta"];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v5")
}

async fn pool(dir: &Path) -> SqlitePool {
    SqlitePool::connect_with(SqliteConnectOptions::new().filename(dir.join("programme-desk.db"))).await.unwrap()
}

/// Every row of `table`, as text, in a stable order.
async fn rows(pool: &SqlitePool, table: &str) -> Vec<String> {
    let query = format!("SELECT * FROM {table} ORDER BY 1, 2");
    let mut out: Vec<String> = Vec::new();
    for row in sqlx::query(&query).fetch_all(pool).await.unwrap() {
        let cells: Vec<String> = (0..row.len())
            .map(|i| match row.try_get::<Option<i64>, _>(i) {
                Ok(v) => format!("{v:?}"),
                Err(_) => match row.try_get::<Option<String>, _>(i) {
                    Ok(v) => format!("{v:?}"),
                    Err(_) => format!("{:?}", row.try_get::<Option<Vec<u8>>, _>(i).unwrap()),
                },
            })
            .collect();
        out.push(cells.join(" | "));
    }
    out.sort();
    out
}

/// The session cookie the fixture's account had when the folder was made.
fn fixture_cookie() -> String {
    std::fs::read_to_string(fixture().join("session-cookie.txt")).unwrap().trim().to_owned()
}

async fn read_back(server: &TestServer) -> String {
    let doc = DocId::parse(DOC).unwrap();
    let replica = TorDoc::new(77_001);
    let mut client = Client::connect(server).await;
    client.sync_into(&doc, &replica).await;
    replica.text(TorSection::Scope)
}

#[tokio::test]
async fn a_schema_v5_folder_keeps_its_documents_accounts_and_sessions() {
    let temp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), temp.path().join(entry.file_name())).unwrap();
    }
    let before = pool(temp.path()).await;
    assert_eq!(sqlx::query_scalar::<_, i64>("PRAGMA user_version").fetch_one(&before).await.unwrap(), 5, "the fixture is schema v5");
    let mut kept = Vec::new();
    for table in KEPT_TABLES {
        kept.push(rows(&before, table).await);
    }
    assert!(!kept[3].is_empty(), "the fixture has a session");
    before.close().await;

    // Opened twice: the first start records the migrations, the second finds nothing to do.
    for round in 0..2 {
        let server = TestServer::start_with(temp.path(), &["--access", "open-except-group"]);
        assert!(read_back(&server).await.starts_with(TEXT), "round {round}: the document kept its text");
        let me = reqwest::Client::new().get(server.url("/api/v1/session")).header(COOKIE, fixture_cookie()).send().await.unwrap();
        assert_eq!(me.status(), reqwest::StatusCode::OK, "round {round}: the session still signs in");
        assert!(me.text().await.unwrap().contains(EMAIL));
        // The delegation the account named is on the managed list (schema step 8).
        let listed = reqwest::Client::new().get(server.url("/api/v1/delegations")).header(COOKIE, fixture_cookie()).send().await.unwrap();
        assert_eq!(listed.json::<serde_json::Value>().await.unwrap(), serde_json::json!(["Malta"]), "round {round}");
        // The password still works (a new session is a new row: compared before this).
        if round == 1 {
            sign_in(&server, EMAIL).await;
        }
        assert!(server.terminate());
        if round == 0 {
            let after = pool(temp.path()).await;
            for (table, rows_before) in KEPT_TABLES.iter().zip(&kept) {
                assert_eq!(&rows(&after, table).await, rows_before, "{table} changed");
            }
            let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(&after).await.unwrap();
            assert!(applied >= 5, "the five schema steps are recorded as sqlx migrations ({applied})");
            after.close().await;
        }
    }
}

/// Made `tests/fixtures/schema-v5/` with the server binary of commit 5a94d92 (run it again
/// only to make a fixture for another old schema):
/// `LEGACY_SERVER_BIN=/path/to/old/server cargo test -p server --test legacy_data -- --ignored`.
/// The session's expiry is moved to the year 3000 so that the fixture's cookie stays valid.
#[tokio::test]
#[ignore = "makes the fixture with an old server binary"]
async fn make_schema_v5_fixture() {
    let bin = PathBuf::from(std::env::var("LEGACY_SERVER_BIN").expect("LEGACY_SERVER_BIN"));
    let temp = tempfile::tempdir().unwrap();
    let account = ["account", "--email", EMAIL, "--name", "Legacy Delegate", "--delegation", "Malta", "--role", "permanent-correspondents=commenter"];
    support::admin_with(&bin, temp.path(), &account);
    let server = TestServer::start_bin(&bin, temp.path(), &["--access", "open-except-group"]);
    let doc = DocId::parse(DOC).unwrap();
    let replica = TorDoc::new(77_000);
    let mut client = Client::connect(&server).await;
    client.sync_into(&doc, &replica).await;
    client.update(&doc, replica.splice(TorSection::Scope, 0, 0, TEXT)).await;
    client.until_ack().await;
    let cookie = sign_in(&server, EMAIL).await;
    drop(client);
    assert!(server.terminate());
    let db = pool(temp.path()).await;
    sqlx::query("UPDATE sessions SET expires_ms = 32503680000000").execute(&db).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db).await.unwrap();
    db.close().await;
    let out = fixture();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(temp.path().join("programme-desk.db"), out.join("programme-desk.db")).unwrap();
    std::fs::write(out.join("session-cookie.txt"), format!("{cookie}\n")).unwrap();
}
