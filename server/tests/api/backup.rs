//! `server backup` and `server restore` round trip, with the real binary: the restored
//! database equals the backed-up one table for table, later changes are gone, the
//! database as it was before the restore is kept, and a file that is no backup changes
//! nothing.
use crate::binary;
use crate::common::{app_isolated, email};
use crate::security::{changed, fingerprint};

#[tokio::test]
async fn backup_then_restore_gives_back_exactly_the_backed_up_database() {
    let app = app_isolated().await;
    server::provision::load_demo(&app.db).await.expect("demo");
    let before = fingerprint(&app).await;
    let rows: i64 = app
        .db
        .table_rows()
        .await
        .expect("rows")
        .iter()
        .map(|(_, n)| n)
        .sum();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("stemme.backup");
    let file_arg = file.to_str().expect("utf-8 path");

    // Online: the test's own pool stays open while the copy is taken.
    let out = binary::run(&app.url, &["backup", file_arg]).await;
    assert!(
        out.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Sikkerhedskopi skrevet"), "{said}");
    assert!(said.contains(&format!("{rows} rækker")), "{said}");
    // A backup never overwrites a file.
    let again = binary::run(&app.url, &["backup", file_arg]).await;
    assert!(!again.status.success(), "a second backup to the same file");

    // Life goes on after the backup: a new account.
    app.user("Efter", &email("efter"), &[]).await;
    let later = fingerprint(&app).await;
    assert!(
        !changed(&before, &later).is_empty(),
        "the database did not change after the backup"
    );

    // A file that is no backup is refused and changes nothing.
    let junk = dir.path().join("junk.backup");
    std::fs::write(&junk, "dette er ikke en database\n".repeat(100)).expect("junk");
    app.close().await;
    let refused = binary::run(&app.url, &["restore", junk.to_str().expect("utf-8")]).await;
    assert!(!refused.status.success(), "restoring junk succeeded");
    let app = app.reopen().await;
    assert!(
        changed(&later, &fingerprint(&app).await).is_empty(),
        "a refused restore changed the database"
    );

    // The real restore.
    app.close().await;
    let out = binary::run(&app.url, &["restore", file_arg]).await;
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Databasen er genskabt"), "{said}");
    let app = app.reopen().await;
    let after = fingerprint(&app).await;
    let differ = changed(&before, &after);
    assert!(
        differ.is_empty(),
        "tables differ after the restore: {differ:?}"
    );
    // The database as it was just before the restore was kept.
    let kept = std::fs::read_dir(dir.path())
        .expect("dir")
        .chain(
            app::ssr::db::sqlite_file(&app.url)
                .and_then(|f| f.parent().map(std::path::Path::to_path_buf))
                .map(|d| std::fs::read_dir(d).expect("db dir"))
                .into_iter()
                .flatten(),
        )
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .count();
    assert_eq!(kept, 1, "the copy of the database before the restore");
    // The restored database takes new rows (ids and sequences came back too).
    app.user("Igen", &email("igen"), &[]).await;
    println!(
        "backup round trip: {} tables, {rows} rows backed up online and restored identically on {}; a non-backup file refused with nothing changed",
        before.len(),
        app.db.backend().name()
    );
}
