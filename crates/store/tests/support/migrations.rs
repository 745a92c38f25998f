//! The set-up every migration test shares: a database of its own on which only the migrations
//! numbered below the one under test have run, so that rows can be stored as the schema stood
//! before it, and a pool on it to store them with.

use homeward_store::Backend;
use homeward_store::testing::TestDatabase;
use sqlx::AnyPool;
use sqlx::migrate::Migrator;
use std::path::Path;

/// A new `backend` database with every migration numbered below `first` run on it (the files
/// copied byte for byte), and a pool on it.
pub async fn database_before(backend: Backend, first: &str) -> (TestDatabase, AnyPool) {
    let database = TestDatabase::new(backend).await.unwrap();
    // SQLite's file is made by the first connection that may create it.
    let url = match backend {
        Backend::Sqlite => format!("{}?mode=rwc", database.url()),
        Backend::Postgres => database.url().to_owned(),
    };
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&url).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < first {
            std::fs::copy(&path, folder.path().join(name)).unwrap();
        }
    }
    Migrator::new(folder.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    (database, pool)
}
