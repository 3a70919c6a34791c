package dev.atelier.server.store;

import dev.atelier.server.testing.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** On PostgreSQL, a write chosen as a deadlock's victim runs again instead of failing its caller. */
class DatabaseDeadlockRetryTest {
    @Test
    void twoWritesThatDeadlockBothCommitTheVictimRunningAgain() throws Exception {
        try (Database database = EmbeddedPostgres.openFreshDatabase()) {
            database.writeVoid(handle -> {
                handle.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, hits INTEGER NOT NULL)");
                handle.execute("INSERT INTO scratch (id, hits) VALUES (1, 0), (2, 0)");
            });
            CyclicBarrier bothHoldOneRow = new CyclicBarrier(2);
            AtomicInteger attempts = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                // Each locks one row, waits until the other holds the other row, then asks for it: a deadlock, the first
                // time only (a run again does not wait at the barrier).
                Future<?> first = pool.submit(() -> lockInOrder(database, 1, 2, bothHoldOneRow, attempts));
                Future<?> second = pool.submit(() -> lockInOrder(database, 2, 1, bothHoldOneRow, attempts));
                first.get();
                second.get();
            }
            assertThat(attempts.get()).as("one of the two ran again").isEqualTo(3);
            int hits = database.read(handle -> handle.createQuery("SELECT SUM(hits) FROM scratch").mapTo(Integer.class).one());
            assertThat(hits).as("each write counted once").isEqualTo(4);
        }
    }

    private static void lockInOrder(Database database, int firstRow, int secondRow, CyclicBarrier barrier, AtomicInteger attempts) {
        boolean[] waited = {false};
        database.writeVoid(handle -> {
            attempts.incrementAndGet();
            handle.execute("UPDATE scratch SET hits = hits + 1 WHERE id = ?", firstRow);
            if (!waited[0]) {
                waited[0] = true;
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            handle.execute("UPDATE scratch SET hits = hits + 1 WHERE id = ?", secondRow);
        });
    }
}
