package dev.algotrade.sqlite;

import dev.algotrade.api.store.Store;
import dev.algotrade.testkit.StoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store passes the store contract on a real temporary file, reopened from disk. */
class SqliteStoreContractTest extends StoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected Store createStore() {
    return SqliteStore.open(dir.resolve("contract").resolve("store.db"));
  }

  @Override
  protected Store reopen(Store closed) {
    return SqliteStore.open(((SqliteStore) closed).path());
  }
}
