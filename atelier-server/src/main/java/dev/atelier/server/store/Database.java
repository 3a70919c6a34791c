package dev.atelier.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The metadata database: SQLite (embedded default) or PostgreSQL, with the schema migrated on
 * open. Thread-safe.
 *
 * <p>Writes go through {@link #write}, which runs the callback in a transaction and returns only
 * after it committed. On SQLite the writes of this process go through {@link GroupCommit}: SQLite
 * allows one writer at a time, waiting in Java is cheaper and fairer than SQLITE_BUSY retries, and
 * concurrent writes share one commit. Reads run concurrently with writes (WAL mode).
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final String displayUrl;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** SQLite's one writer: concurrent writes commit together. Null on PostgreSQL, which has row locks. */
    private final GroupCommit groupCommit;

    /** SQLite: the lock on {@code <file>.lock} this process holds while the database is open. Null on PostgreSQL. */
    private final FileLock fileLock;

    private Database(Dialect dialect, String displayUrl, HikariDataSource dataSource, FileLock fileLock) {
        this.dialect = dialect;
        this.displayUrl = displayUrl;
        this.dataSource = dataSource;
        this.fileLock = fileLock;
        this.jdbi = Jdbi.create(dataSource);
        this.groupCommit = dialect == Dialect.SQLITE ? new GroupCommit(jdbi) : null;
    }

    /**
     * Opens (creating when needed) the SQLite database file at {@code file} and migrates it. One process at a time:
     * it holds an exclusive lock on {@code <file>.lock} until {@link #close}, since this process's writes are
     * serialized in Java ({@link GroupCommit}) and a second server on the same file would break that (and both would
     * run the same jobs). Servers that share a database use PostgreSQL.
     *
     * @throws IllegalStateException when another process (or another open database of this one) holds the file
     */
    public static Database openSqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        FileLock lock = lock(file.toAbsolutePath());
        String url = "jdbc:sqlite:" + file.toAbsolutePath()
                + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=30000&foreign_keys=true&cache_size=-65536";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setPoolName("atelier-sqlite");
        try {
            return open(Dialect.SQLITE, "sqlite:" + file.toAbsolutePath(), config, lock);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    private static FileLock lock(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this very process: the same refusal
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("Another Atelier server uses the database " + file + " (it holds " + lockFile
                + "). Stop it first, or give "
                + "this server another --data-dir; servers that share a database use PostgreSQL (--database-url).");
    }

    private static void release(FileLock lock) {
        if (lock != null) {
            closeQuietly(lock.channel()); // closing the channel releases the lock
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held any more that matters
            }
        }
    }

    /** Opens a PostgreSQL database from a {@code jdbc:postgresql://} URL and migrates it. */
    public static Database openPostgres(String jdbcUrl, String user, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(16);
        // While the database is down (a restart, a fail-over) a request waits this long for a connection, then is
        // answered 503 with Retry-After (http/BackendUnavailable); Hikari's 30 s default held clients for half a minute.
        config.setConnectionTimeout(5_000);
        config.setPoolName("atelier-postgres");
        String display = jdbcUrl.replaceAll("password=[^&]*", "password=***");
        return open(Dialect.POSTGRESQL, display, config, null);
    }

    /** Opens the database a JDBC URL names: {@code jdbc:postgresql:...} or {@code jdbc:sqlite:<file>}. */
    public static Database open(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return openPostgres(jdbcUrl, null, null);
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return openSqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())));
        }
        throw new IllegalArgumentException("unsupported database URL (expected jdbc:postgresql:// or jdbc:sqlite:): " + jdbcUrl);
    }

    private static Database open(Dialect dialect, String displayUrl, HikariConfig config, FileLock fileLock) {
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration") // the numbered SQL files and the Java migrations of package db.migration
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dialect, displayUrl, dataSource, fileLock);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The database URL with any password masked, for logs and the startup banner. */
    public String displayUrl() {
        return displayUrl;
    }

    /** Runs {@code callback} on a connection without a transaction. */
    public <R> R read(HandleCallback<R, RuntimeException> callback) {
        return jdbi.withHandle(callback);
    }

    /**
     * Runs {@code callback} atomically: its writes commit together or not at all, and this returns only
     * after they committed. An exception from the callback undoes its writes and is rethrown. On SQLite
     * the callback may share its transaction with concurrent writes, inside its own savepoint; it must
     * not call {@code write} itself. On PostgreSQL a transaction rolled back as a deadlock's victim (40P01) or for
     * a serialization failure (40001) runs the callback again, twice at most: a callback must be safe to run again.
     */
    public <R> R write(HandleCallback<R, RuntimeException> callback) {
        if (groupCommit != null) {
            return groupCommit.write(callback);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(callback);
            } catch (RuntimeException e) {
                if (attempt > TRANSIENT_RETRIES || !isTransient(e)) {
                    throw e;
                }
                // PostgreSQL chose this transaction as a deadlock's victim or could not serialize it: it was rolled
                // back whole, and running the same statements again normally succeeds.
            }
        }
    }

    /** Times a PostgreSQL transaction rolled back by a deadlock or a serialization failure is run again. */
    static final int TRANSIENT_RETRIES = 2;

    /** Whether {@code e} is PostgreSQL's deadlock (40P01) or serialization failure (40001), anywhere in its causes. */
    static boolean isTransient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql) {
                for (java.sql.SQLException next = sql; next != null; next = next.getNextException()) { // a batch's errors
                    if ("40P01".equals(next.getSQLState()) || "40001".equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The database's clock, in milliseconds since the epoch. Leases shared by several servers are set and compared on
     * it, so that servers whose own clocks differ agree on when a lease runs out.
     */
    public long now() {
        String sql = dialect == Dialect.POSTGRESQL
                ? "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
                : "SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    /** Runs {@code consumer} in one write transaction. */
    public void writeVoid(java.util.function.Consumer<Handle> consumer) {
        write(handle -> {
            consumer.accept(handle);
            return null;
        });
    }

    /**
     * Makes every write committed so far durable across a power loss, for the few writes that must be (a master key
     * rotation before the old key is dropped). SQLite's commits in WAL mode with {@code synchronous=NORMAL} survive a
     * crash of the process but may be lost with the machine until a checkpoint: a FULL checkpoint syncs the WAL, copies
     * it into the database file and syncs that. PostgreSQL's commits are durable already.
     *
     * @throws IllegalStateException when readers kept the checkpoint from completing for seconds
     */
    public void makeDurable() {
        if (dialect != Dialect.SQLITE) {
            return;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int busy = jdbi.withHandle(handle -> handle.createQuery("PRAGMA wal_checkpoint(FULL)").map((rs, ctx) -> rs.getInt(1)).one());
            if (busy == 0) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("The database's checkpoint did not complete: its last writes are not yet durable");
    }

    /** The connection pool's live counts (active, idle, waiting threads) for the gauges of /metrics. */
    public com.zaxxer.hikari.HikariPoolMXBean connectionPool() {
        return dataSource.getHikariPoolMXBean();
    }

    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            release(fileLock);
        }
    }

    /** The SQL dialects Atelier runs on. */
    public enum Dialect {
        SQLITE,
        POSTGRESQL
    }
}
