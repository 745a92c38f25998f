//! Generic writes: multi-row INSERTs and emptying tables.

use super::TableRecord;
use sqlx::AnyConnection;

/// Most parameters in one statement: far under SQLite's limit (32 766) and PostgreSQL's (65 535)
/// because SQLite reads `$N` as a named parameter and finds each name by a linear search, so a
/// statement's cost grows with the square of its parameters. Measured on the West Sussex demo:
/// 25 rows a statement store in 50 ms, 500 rows in 600 ms; PostgreSQL is flat from 25 rows up.
pub(crate) const MAX_PARAMETERS: usize = 250;

/// Inserts `records` with as few statements as the parameter limits allow.
pub(crate) async fn insert_in_chunks<T: TableRecord>(
    connection: &mut AnyConnection,
    records: &[T],
) -> Result<(), sqlx::Error> {
    let rows_per_statement = (MAX_PARAMETERS / T::COLUMNS.len()).max(1);
    for chunk in records.chunks(rows_per_statement) {
        insert_rows(connection, chunk).await?;
    }
    Ok(())
}

/// Inserts `records` in statements of a few sizes only ([`statement_sizes`]), for writes made
/// again and again with any number of rows (call events ingested in batches): each size is one
/// statement that the connection prepares once and keeps.
pub(crate) async fn insert_in_few_shapes<T: TableRecord>(
    connection: &mut AnyConnection,
    records: &[T],
) -> Result<(), sqlx::Error> {
    let mut rest = records;
    for size in statement_sizes(records.len(), MAX_PARAMETERS / T::COLUMNS.len()) {
        let (chunk, after) = rest.split_at(size);
        insert_rows(connection, chunk).await?;
        rest = after;
    }
    Ok(())
}

/// Splits `count` rows into statements of at most `largest` rows with few distinct sizes: as
/// many of `largest` as fit, then the rest in falling powers of two (`23` → `16, 4, 2, 1`).
/// Both databases cache a prepared statement per text, and a statement per batch size would
/// keep pushing the others out.
pub(crate) fn statement_sizes(count: usize, largest: usize) -> Vec<usize> {
    let largest = largest.max(1);
    let mut sizes = vec![largest; count / largest];
    let mut rest = count % largest;
    while rest > 0 {
        let size = 1 << rest.ilog2();
        sizes.push(size);
        rest -= size;
    }
    sizes
}

/// Inserts `records` in one statement.
pub(crate) async fn insert_rows<T: TableRecord>(
    connection: &mut AnyConnection,
    records: &[T],
) -> Result<(), sqlx::Error> {
    if records.is_empty() {
        return Ok(());
    }
    let sql = insert_sql(T::TABLE, T::COLUMNS, records.len());
    let mut query = sqlx::query(&sql);
    for value in records.iter().flat_map(TableRecord::values) {
        query = value.bind_to(query);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Overwrites the stored row with `record`'s id with `record`'s values; returns how many rows
/// changed (0 when no row has the id).
pub(crate) async fn update_row<T: TableRecord>(
    connection: &mut AnyConnection,
    record: &T,
) -> Result<u64, sqlx::Error> {
    let sql = update_sql(T::TABLE, T::COLUMNS);
    let mut query = sqlx::query(&sql);
    for value in record.values() {
        query = value.bind_to(query);
    }
    Ok(query.execute(connection).await?.rows_affected())
}

/// Deletes every row of `table`.
pub(crate) async fn delete_all(
    connection: &mut AnyConnection,
    table: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table}"))
        .execute(connection)
        .await?;
    Ok(())
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4)` for `rows` rows.
pub(crate) fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut parameter = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns.len() {
            if column > 0 {
                sql.push_str(", ");
            }
            parameter += 1;
            sql.push('$');
            sql.push_str(&parameter.to_string());
        }
        sql.push(')');
    }
    sql
}

/// `UPDATE table SET b = $2, c = $3 WHERE a = $1`, the first column being the key.
fn update_sql(table: &str, columns: &[&str]) -> String {
    let (key, rest) = columns.split_first().expect("a table has a key column");
    let assignments: Vec<String> = rest
        .iter()
        .enumerate()
        .map(|(index, column)| format!("{column} = ${}", index + 2))
        .collect();
    format!(
        "UPDATE {table} SET {} WHERE {key} = $1",
        assignments.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_across_rows() {
        assert_eq!(
            insert_sql("t", &["id", "name"], 2),
            "INSERT INTO t (id, name) VALUES ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn statements_come_in_few_sizes() {
        assert_eq!(statement_sizes(0, 25), Vec::<usize>::new());
        assert_eq!(statement_sizes(23, 25), [16, 4, 2, 1]);
        assert_eq!(statement_sizes(57, 25), [25, 25, 4, 2, 1]);
        assert_eq!(statement_sizes(50, 25), [25, 25]);
        for count in 0..200 {
            assert_eq!(statement_sizes(count, 25).iter().sum::<usize>(), count);
        }
    }

    #[test]
    fn updates_set_every_column_but_the_key() {
        assert_eq!(
            update_sql("t", &["id", "name", "tier"]),
            "UPDATE t SET name = $2, tier = $3 WHERE id = $1"
        );
    }
}
