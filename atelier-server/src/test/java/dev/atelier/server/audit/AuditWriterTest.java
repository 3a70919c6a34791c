package dev.atelier.server.audit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching writer: what close and a full queue do with queued events. */
class AuditWriterTest {
    /** Keeps what it is given; can hold writers back until released. */
    private static final class RecordingStore implements AuditStore {
        final List<List<AuditEvent>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release;

        RecordingStore(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void insertEvents(List<AuditEvent> events) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(List.copyOf(events));
        }

        @Override
        public long deleteEventsBefore(long time) {
            return 0;
        }

        @Override
        public AuditPage searchEvents(AuditQuery query) {
            // Every stored event in one page, newest first: the writer under test never searches.
            synchronized (batches) {
                List<AuditEvent> all = new ArrayList<>(batches.stream().flatMap(List::stream).toList());
                Collections.reverse(all);
                return new AuditPage(all, null);
            }
        }

        int eventCount() {
            synchronized (batches) {
                return batches.stream().mapToInt(List::size).sum();
            }
        }
    }

    @Test
    void closeWritesEveryQueuedEventInOneBatch() {
        RecordingStore store = new RecordingStore(new CountDownLatch(0));
        AuditWriter writer = AuditWriter.start(store, Duration.ofHours(1), 100, Duration.ofSeconds(1));
        for (int i = 0; i < 25; i++) {
            writer.enqueue(event(i));
        }
        assertThat(store.eventCount()).as("nothing is written before the flush interval").isZero();
        writer.close();
        assertThat(store.batches).hasSize(1);
        assertThat(store.eventCount()).isEqualTo(25);
    }

    @Test
    void eventsRecordedAfterCloseAreWrittenAtOnce() {
        RecordingStore store = new RecordingStore(new CountDownLatch(0));
        AuditWriter writer = AuditWriter.start(store, Duration.ofHours(1), 100, Duration.ofSeconds(1));
        writer.close();
        writer.enqueue(event(1));
        assertThat(store.eventCount()).isEqualTo(1);
    }

    @Test
    void aFullQueueMakesTheCallerWriteInsteadOfDroppingEvents() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        RecordingStore store = new RecordingStore(release);
        AuditWriter writer = AuditWriter.start(store, Duration.ofHours(1), 2, Duration.ofMillis(10));
        writer.enqueue(event(1));
        writer.enqueue(event(2));
        Thread blocked = Thread.ofPlatform().start(() -> writer.enqueue(event(3)));
        blocked.join(Duration.ofMillis(200));
        assertThat(blocked.isAlive()).as("the caller waits for the store instead of dropping the event").isTrue();
        release.countDown();
        blocked.join();
        assertThat(store.eventCount()).isEqualTo(3);
        writer.close();
        assertThat(store.eventCount()).isEqualTo(3);
    }

    @Test
    void periodicFlushWritesWithoutClose() throws InterruptedException {
        RecordingStore store = new RecordingStore(new CountDownLatch(0));
        try (AuditWriter writer = AuditWriter.start(store, Duration.ofMillis(20), 100, Duration.ofSeconds(1))) {
            writer.enqueue(event(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.eventCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.eventCount()).isEqualTo(1);
        }
    }

    private static AuditEvent event(int number) {
        return new AuditEvent(UUID.randomUUID().toString(), number, "local", "default", "POST /x", "/x/" + number,
                AuditOutcome.ALLOWED, 200, "127.0.0.1");
    }
}
