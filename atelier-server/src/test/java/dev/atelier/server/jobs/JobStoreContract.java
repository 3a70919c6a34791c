package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The job store's leases, run on SQLite and on PostgreSQL by the subclasses. */
abstract class JobStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private JobStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcJobStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anExpiredLeaseIsTakenOverOnceKeepingTheJobsStateAndTimes() {
        queued("k8s-job");
        assertThat(store.claim(WORKSPACE, "k8s-job", "server-a", 1_000, 2_000)).isTrue();
        assertThat(store.markRunning(WORKSPACE, "k8s-job", "server-a", 1_100)).isTrue();

        assertThat(store.takeOver(WORKSPACE, "k8s-job", "server-a", "server-b", 1_999, 9_000)).as("lease not yet expired").isFalse();
        assertThat(store.takeOver(WORKSPACE, "k8s-job", "server-a", "server-b", 2_001, 9_000)).isTrue();
        assertThat(store.takeOver(WORKSPACE, "k8s-job", "server-a", "server-c", 2_001, 9_000)).as("already taken").isFalse();

        Job job = store.get(WORKSPACE, "k8s-job").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.leaseOwner()).isEqualTo("server-b");
        assertThat(job.startedAt()).isEqualTo(1_100L);
        assertThat(store.heldBy("server-b")).extracting(Job::name).containsExactly("k8s-job");
        assertThat(store.heldBy("server-a")).isEmpty();
        assertThat(store.expired(5_000)).as("the new lease runs").isEmpty();
        assertThat(store.finish(WORKSPACE, "k8s-job", Optional.of("server-a"), JobStatus.FAILED, 3_000, null, "lost", null))
                .as("the old holder can no longer end it").isFalse();
        assertThat(store.finish(WORKSPACE, "k8s-job", Optional.of("server-b"), JobStatus.COMPLETED, 3_000, 0, null, null)).isTrue();
    }

    @Test
    void endedQueuedAndRenewedJobsAreNotTakenOver() {
        queued("queued");
        assertThat(store.takeOver(WORKSPACE, "queued", "server-a", "server-b", 10_000, 20_000)).isFalse();

        queued("renewed");
        assertThat(store.claim(WORKSPACE, "renewed", "server-a", 1_000, 2_000)).isTrue();
        store.renewLeases("server-a", 30_000);
        assertThat(store.takeOver(WORKSPACE, "renewed", "server-a", "server-b", 10_000, 20_000)).isFalse();

        queued("ended");
        assertThat(store.claim(WORKSPACE, "ended", "server-a", 1_000, 2_000)).isTrue();
        assertThat(store.finish(WORKSPACE, "ended", Optional.of("server-a"), JobStatus.COMPLETED, 1_500, 0, null, null)).isTrue();
        assertThat(store.takeOver(WORKSPACE, "ended", "server-a", "server-b", 10_000, 20_000)).isFalse();
        assertThat(store.get(WORKSPACE, "ended").orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void pipelineStepsAreEnsuredOnceUpdatedTogetherAndFoundByReuseKey() {
        queued("pipe");
        PipelineStepStore steps = new JdbcPipelineStepStore(database);
        steps.ensure(WORKSPACE, "pipe", java.util.List.of("a", "b"), 100);
        PipelineStep a = steps.list(WORKSPACE, "pipe").getFirst();
        steps.update(WORKSPACE, "pipe", java.util.List.of(new PipelineStep("a", StepStatus.COMPLETED, Optional.of("pipe-a"),
                Optional.of("run-a"), Optional.of("key-a"), Optional.empty(), Map.of("out", "datastore://ws/p/a/out"), 200),
                new PipelineStep("b", StepStatus.QUEUED, Optional.of("pipe-b"), Optional.of("run-b"), Optional.of("key-b"),
                        Optional.empty(), Map.of(), 200)));
        steps.ensure(WORKSPACE, "pipe", java.util.List.of("a", "b", "c"), 300);

        assertThat(a.status()).isEqualTo(StepStatus.QUEUED);
        assertThat(steps.list(WORKSPACE, "pipe")).extracting(PipelineStep::step, PipelineStep::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", StepStatus.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple("b", StepStatus.QUEUED), org.assertj.core.groups.Tuple.tuple("c", StepStatus.QUEUED));
        PipelineStep found = steps.completed(WORKSPACE, "key-a").orElseThrow();
        assertThat(found.jobName()).contains("pipe-a");
        assertThat(found.outputs()).containsEntry("out", "datastore://ws/p/a/out");
        assertThat(steps.completed(WORKSPACE, "key-b")).as("not completed").isEmpty();
        assertThat(steps.completed("other", "key-a")).as("another workspace").isEmpty();
    }

    @Test
    void jobsQueuedAtOnceEachGetTheirOwnQueuePosition() throws Exception {
        atBarrier(16, index -> queued("at-once-" + index));
        List<Job> jobs = store.queued(100);
        assertThat(jobs).hasSize(16);
        assertThat(jobs.stream().map(Job::queueSeq).distinct()).hasSize(16);
        queued("later");
        assertThat(store.get(WORKSPACE, "later").orElseThrow().queueSeq())
                .isGreaterThan(jobs.stream().mapToLong(Job::queueSeq).max().orElseThrow());
    }

    @Test
    void logLinesAppendedAtOnceAreAllKeptEachWithItsOwnNumber() throws Exception {
        queued("chatty");
        atBarrier(16, index -> store.appendLogs(WORKSPACE, "chatty", List.of(
                new JobLogLine(0, "stdout", 1_000, "line " + index + " a"), new JobLogLine(0, "stdout", 1_000, "line " + index + " b"))));
        List<JobLogLine> lines = store.logs(WORKSPACE, "chatty", 0, 100);
        assertThat(lines).extracting(JobLogLine::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 32).boxed().toList());
        for (int index = 0; index < 16; index++) {
            List<String> texts = lines.stream().map(JobLogLine::line).toList();
            assertThat(texts.indexOf("line " + index + " a")).as("a batch keeps its order").isEqualTo(texts.indexOf("line " + index + " b") - 1);
        }
    }

    @Test
    void aLogLineTheDatabaseRefusesIsLostAloneNotWithItsBatch() {
        queued("nul");
        JobLogSink sink = new JobLogSink(store, WORKSPACE, "nul");
        sink.add("stdout", "before");
        sink.add("stdout", "a NUL \u0000 here"); // PostgreSQL's text holds no NUL; SQLite keeps it
        sink.add("stdout", "after");
        sink.flush();
        assertThat(store.logs(WORKSPACE, "nul", 0, 100)).extracting(JobLogLine::line).contains("before", "after");
    }

    @Test
    void claimsAtOnceOnOneTargetStayWithinItsLimitTogether() throws Exception {
        for (int index = 0; index < 16; index++) {
            queued("limited-" + index);
        }
        AtomicInteger claimed = new AtomicInteger();
        atBarrier(16, index -> {
            if (store.claimWithin(WORKSPACE, "limited-" + index, "cluster", 3, "server-" + index, 1_000, 60_000)) {
                claimed.incrementAndGet();
            }
        });
        assertThat(claimed.get()).isEqualTo(3);
        assertThat(store.countActive(WORKSPACE, "cluster")).isEqualTo(3);
    }

    @Test
    void aJobWhoseHolderRenewedIsNeitherEndedNorQueuedAgainAsExpired() {
        queued("renewed-late");
        assertThat(store.claim(WORKSPACE, "renewed-late", "server-a", 1_000, 2_000)).isTrue();
        assertThat(store.expired(2_500)).extracting(Job::name).containsExactly("renewed-late"); // server b sees it expired...
        store.renewLeases("server-a", 10_000); // ...and server a renews before b acts on it
        assertThat(store.finishExpired(WORKSPACE, "renewed-late", "server-a", 2_500, JobStatus.FAILED, "lost")).isFalse();
        assertThat(store.releaseExpired(WORKSPACE, "renewed-late", "server-a", 2_500)).isFalse();
        assertThat(store.get(WORKSPACE, "renewed-late").orElseThrow().status()).isEqualTo(JobStatus.PREPARING);
        assertThat(store.heldBy("server-a")).extracting(Job::name).containsExactly("renewed-late");

        assertThat(store.releaseExpired(WORKSPACE, "renewed-late", "server-b", 20_000)).as("not the holder").isFalse();
        assertThat(store.releaseExpired(WORKSPACE, "renewed-late", "server-a", 20_000)).isTrue();
        assertThat(store.get(WORKSPACE, "renewed-late").orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.claim(WORKSPACE, "renewed-late", "server-c", 21_000, 22_000)).isTrue();
        assertThat(store.finishExpired(WORKSPACE, "renewed-late", "server-c", 23_000, JobStatus.FAILED, "lost")).isTrue();
        assertThat(store.get(WORKSPACE, "renewed-late").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void theDatabasesClockIsTheTimeOfDay() {
        assertThat(store.databaseTime()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }

    private static void atBarrier(int threads, IntConsumer call) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    call.accept(index);
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void queued(String name) {
        assertThat(store.insert(new Job(name, JobType.COMMAND, JobStatus.QUEUED, "cluster", null, "0", "run-" + name, null, null,
                null, "alice", 500, null, null, null, null, null, null, JsonNodeFactory.instance.objectNode().put("name", name), 0,
                false, null, WORKSPACE))).isTrue();
    }
}
