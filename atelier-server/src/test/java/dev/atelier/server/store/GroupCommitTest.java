package dev.atelier.server.store;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Concurrent SQLite writes committed together keep each caller's all-or-nothing answer. */
class GroupCommitTest {
    @Test
    void concurrentWritesCommitExceptThoseThatThrowWhoseRowsAreUndone(@TempDir Path dir) throws Exception {
        try (Database database = Database.openSqlite(dir.resolve("atelier.db"))) {
            database.writeVoid(handle -> handle.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT)"));
            List<Future<Integer>> writes = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 400; i++) {
                    int id = i;
                    writes.add(pool.submit(() -> database.write(handle -> {
                        handle.execute("INSERT INTO scratch (id, note) VALUES (?, 'first')", id);
                        handle.execute("INSERT INTO scratch (id, note) VALUES (?, 'second')", id + 10_000);
                        if (id % 7 == 0) {
                            throw new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "refused " + id);
                        }
                        return id;
                    })));
                }
            }
            for (int i = 0; i < writes.size(); i++) {
                if (i % 7 == 0) {
                    Future<Integer> refused = writes.get(i);
                    assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class).hasMessageContaining("refused " + i);
                } else {
                    assertThat(writes.get(i).get()).isEqualTo(i);
                }
            }
            long kept = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM scratch").mapTo(Long.class).one());
            long refusedRows = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM scratch WHERE id < 10000 AND id % 7 = 0")
                    .mapTo(Long.class).one());
            assertThat(kept).isEqualTo(2L * (400 - 58));
            assertThat(refusedRows).isZero();
        }
    }

    /**
     * A callback that throws an Error or a checked exception (thrown past the compiler) fails alone: its rows are
     * undone, its caller sees the failure (never a silent success), and the writes grouped with it commit.
     */
    @Test
    void aWriteThrowingAnErrorOrACheckedExceptionFailsAloneAndVisibly(@TempDir Path dir) throws Exception {
        try (Database database = Database.openSqlite(dir.resolve("atelier.db"))) {
            database.writeVoid(handle -> handle.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT)"));
            List<Future<Integer>> writes = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 300; i++) {
                    int id = i;
                    writes.add(pool.submit(() -> database.write(handle -> {
                        handle.execute("INSERT INTO scratch (id, note) VALUES (?, 'row')", id);
                        if (id % 10 == 3) {
                            throw new AssertionError("broken " + id);
                        }
                        if (id % 10 == 7) {
                            GroupCommitTest.<RuntimeException>sneakyThrow(new java.io.IOException("checked " + id));
                        }
                        return id;
                    })));
                }
            }
            for (int i = 0; i < writes.size(); i++) {
                if (i % 10 == 3 || i % 10 == 7) {
                    int failed = i;
                    assertThatThrownBy(writes.get(i)::get).isInstanceOf(ExecutionException.class)
                            .hasStackTraceContaining((i % 10 == 3 ? "broken " : "checked ") + failed);
                } else {
                    assertThat(writes.get(i).get()).isEqualTo(i);
                }
            }
            long kept = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM scratch").mapTo(Long.class).one());
            assertThat(kept).isEqualTo(300 - 60);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable throwable) throws T {
        throw (T) throwable;
    }

    @Test
    void aWriteInsideAWriteIsRefusedInsteadOfWaitingForever(@TempDir Path dir) {
        try (Database database = Database.openSqlite(dir.resolve("atelier.db"))) {
            assertThatThrownBy(() -> database.writeVoid(handle -> database.writeVoid(inner -> inner.execute("SELECT 1"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("may not start another write");
        }
    }
}
