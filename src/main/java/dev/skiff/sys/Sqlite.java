package dev.skiff.sys;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata database (skiff.db): one SQLite connection in WAL mode shared by every store of the
 * daemon. Each store keeps its own tables (prefixed by its name) and calls {@link #transaction}
 * or {@link #query}; calls are serialized on this object, so a transaction sees no interleaving.
 *
 * <p>synchronous=NORMAL with WAL survives a process crash without loss and a power loss without
 * corruption (the last transactions may roll back), which is what containerd's bolt settings give too.
 */
public final class Sqlite implements Closeable {
    private final Path file;
    private final Connection connection;

    private Sqlite(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating when missing) the database file. */
    public static Sqlite open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            return new Sqlite(file, c);
        } catch (SQLException e) {
            throw new IOException("cannot open the metadata database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. The error
     * that ended it is the one reported: SQLite ends a transaction itself when a COMMIT fails on a full disk, and
     * the rollback and the return to autocommit after it fail too ("no transaction is active"), which used to
     * stand in for "database or disk is full".
     */
    public synchronized <T> T transaction(SqlWork<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ended) {
                    e.addSuppressed(ended);
                }
                throw e;
            } finally {
                try {
                    connection.setAutoCommit(true); // the driver is back in autocommit even when this throws
                } catch (SQLException ended) {
                    // no transaction was left to end: the one above failed and says why
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("metadata database " + file + ": " + e.getMessage() + wayOut(e), e);
        }
    }

    private String wayOut(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_FULL") || m.contains("disk is full")) {
            return " (free space on the filesystem of " + file.getParent() + "; the change was not made)";
        }
        if (m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB")) {
            return " (the file is damaged: restore a copy of it, or salvage its rows into a new file with sqlite3's"
                    + " .recover and check your containers and images are in it before putting it in its place: a"
                    + " daemon started on a database without their rows deletes them as leftovers)";
        }
        return "";
    }

    /** Runs DDL or another statement without parameters (schema creation). */
    public void execute(String... statements) {
        transaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /** Runs an INSERT/UPDATE/DELETE with parameters; returns the changed row count. */
    public int update(String sql, Object... params) {
        return transaction(c -> update(c, sql, params));
    }

    /** The rows of a query, each mapped by {@code mapper}. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return transaction(c -> query(c, sql, mapper, params));
    }

    /** {@link #update(String, Object...)} inside a running transaction. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** {@link #query(String, RowMapper, Object...)} inside a running transaction. */
    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing at shutdown: nothing left to do with the error
        }
    }

    /** Work done inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }
}
