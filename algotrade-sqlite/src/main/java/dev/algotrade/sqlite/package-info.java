/**
 * The embedded {@link dev.algotrade.api.store.Store}: one SQLite file (WAL mode) written by a
 * single writer thread in batched transactions, read back for recovery, audit queries and CSV
 * export. Entry points: {@link dev.algotrade.sqlite.SqliteStore} and
 * {@link dev.algotrade.sqlite.SqliteExport}.
 */
package dev.algotrade.sqlite;
