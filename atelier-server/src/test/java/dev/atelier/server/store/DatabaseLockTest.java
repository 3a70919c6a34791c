package dev.atelier.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One process at a time on a SQLite database file: a second opener is refused with a clear message until the first closes. */
class DatabaseLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenerOfTheSameFileIsRefusedUntilTheFirstCloses() {
        Path file = dir.resolve("atelier.db");
        Database first = Database.openSqlite(file);
        assertThatThrownBy(() -> Database.openSqlite(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Another Atelier server uses the database " + file).hasMessageContaining("--database-url");
        first.close();
        Database.openSqlite(file).close();
    }

    @Test
    void anotherProcessHoldingTheFileKeepsThisOneOut() throws Exception {
        Path file = dir.resolve("atelier.db");
        Database.openSqlite(file).close(); // the lock file exists
        // another process takes the same kind of lock (POSIX record lock, as the JDK's FileChannel.lock on Linux)
        Process other = new ProcessBuilder("/usr/bin/python3", "-c", """
                import fcntl, sys, time
                f = open(sys.argv[1], 'a')
                fcntl.lockf(f, fcntl.LOCK_EX)
                print('locked', flush=True)
                time.sleep(60)
                """, dir.resolve("atelier.db.lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> Database.openSqlite(file)).hasMessageContaining("Another Atelier server uses the database");
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Database.openSqlite(file).close();
    }
}
