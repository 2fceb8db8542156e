//! Consistent copies of a SQLite database, taken while the site runs. (PostgreSQL is
//! copied with `pg_dump`; see the server's `backup` command.)
use super::{Backend, Db, DbError};
use crate::domain::message::Msg;

impl Db {
    /// Writes a copy of the SQLite database to `path`, which must not exist yet.
    /// `VACUUM INTO` reads inside one transaction: the copy is the database at a single
    /// moment, writers carry on meanwhile, and the copy is compact.
    pub async fn sqlite_copy_to(&self, path: &str) -> Result<(), DbError> {
        self.require_sqlite()?;
        if path.contains('\0') {
            return Err(DbError::Conflict(Msg::BadFileName));
        }
        let literal = path.replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{literal}'"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// True when SQLite's own check finds the database file sound.
    pub async fn sqlite_integrity_ok(&self) -> Result<bool, DbError> {
        self.require_sqlite()?;
        let result: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        Ok(result == "ok")
    }

    /// Row counts of every application table, by name (for reports after a restore).
    pub async fn table_rows(&self) -> Result<Vec<(String, i64)>, DbError> {
        let names: Vec<String> = match self.backend {
            Backend::Sqlite => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
                )
                .fetch_all(&self.pool)
                .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar(
                    "SELECT CAST(tablename AS TEXT) FROM pg_tables \
                     WHERE schemaname = current_schema() AND tablename NOT LIKE '_sqlx%' \
                     ORDER BY tablename",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            // Names come from the catalogue, not from a person; quoted all the same.
            let quoted = name.replace('"', "\"\"");
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{quoted}\""))
                .fetch_one(&self.pool)
                .await?;
            out.push((name, n));
        }
        Ok(out)
    }

    fn require_sqlite(&self) -> Result<(), DbError> {
        if self.backend == Backend::Sqlite {
            Ok(())
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }
}
