package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTest {
    @TempDir
    Path tmp;

    @Test
    void aTransactionSQLiteEndedItself_reportsWhyItFailed_andTheNextOneWorks() throws Exception {
        try (Sqlite db = Sqlite.open(tmp.resolve("t.db"))) {
            db.execute("CREATE TABLE t (v TEXT)");
            // what a COMMIT on a full disk does: SQLite rolls the transaction back itself and reports SQLITE_FULL;
            // the rollback and the return to autocommit after it then fail ("no transaction is active"), and that
            // was the error reported
            assertThatThrownBy(() -> db.transaction(c -> {
                Sqlite.update(c, "INSERT INTO t VALUES ('lost')");
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
                throw new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
            })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("database or disk is full")
                    .hasMessageContaining("(free space on the filesystem of " + tmp + "; the change was not made)");
            db.update("INSERT INTO t VALUES ('kept')");
            assertThat(db.query("SELECT v FROM t", rs -> rs.getString(1))).containsExactly("kept");
        }
    }

    @Test
    void aFullDatabase_saysSo() throws Exception {
        try (Sqlite db = Sqlite.open(tmp.resolve("small.db"))) {
            db.execute("CREATE TABLE t (v BLOB)");
            long pages = db.query("PRAGMA page_count", rs -> rs.getLong(1)).getFirst();
            db.query("PRAGMA max_page_count = " + (pages + 2), rs -> rs.getLong(1));
            assertThatThrownBy(() -> db.update("INSERT INTO t VALUES (?)", (Object) new byte[1 << 20]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("full")
                    .hasMessageContaining("free space on the filesystem of");
            db.update("INSERT INTO t VALUES (?)", (Object) new byte[10]);
        }
    }
}
