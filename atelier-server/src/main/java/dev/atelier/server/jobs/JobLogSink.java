package dev.atelier.server.jobs;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Collects a job's output lines from its stdout and stderr readers and writes them to the store in
 * batches ({@link #flush} is called by the job's own thread a few times a second and at the end).
 * Lines keep the order in which they were read; a line the database refuses is lost alone, not with its batch.
 * Thread-safe.
 */
final class JobLogSink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobLogSink.class);
    static final int MAX_LINE_CHARS = 16 * 1024;
    /** The copy kept for {@code std_log.txt} stops here; the log API keeps every line. */
    static final int MAX_TEXT_CHARS = 32 * 1024 * 1024;

    private final JobStore store;
    private final String workspace;
    private final String jobName;
    private final StringBuilder all = new StringBuilder();
    private final Object flushLock = new Object();
    private List<JobLogLine> pending = new ArrayList<>();

    JobLogSink(JobStore store, String workspace, String jobName) {
        this.store = requireNonNull(store, "store is null");
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.jobName = requireNonNull(jobName, "jobName is null");
    }

    synchronized void add(String stream, String line) {
        String kept = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " [line cut at " + MAX_LINE_CHARS + " characters]" : line;
        pending.add(new JobLogLine(0, stream, System.currentTimeMillis(), kept));
        if (all.length() < MAX_TEXT_CHARS) {
            all.append(kept).append('\n');
            if (all.length() >= MAX_TEXT_CHARS) {
                all.append("[std_log.txt stops here; every line is in the job's log: atelier job logs]\n");
            }
        }
    }

    /** Writes the lines read since the last flush; concurrent flushes are serialized, so lines stay in order. */
    void flush() {
        synchronized (flushLock) {
            List<JobLogLine> batch;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
            }
            try {
                store.appendLogs(workspace, jobName, batch);
            } catch (RuntimeException e) {
                appendOneByOne(batch, e);
            }
        }
    }

    /** The database refused a batch: each line is written alone, so only a line it refuses (a NUL on PostgreSQL) is lost. */
    private void appendOneByOne(List<JobLogLine> batch, RuntimeException batchFailure) {
        int lost = 0;
        for (JobLogLine line : batch) {
            try {
                store.appendLogs(workspace, jobName, List.of(line));
            } catch (RuntimeException e) {
                lost++;
            }
        }
        if (lost > 0) {
            LOG.warn("{} of {} log lines of job {}/{} could not be stored: {}", lost, batch.size(), workspace, jobName,
                    batchFailure.toString());
        }
    }

    /** Everything logged so far, one line per line (the run's {@code user_logs/std_log.txt}). */
    synchronized String text() {
        return all.toString();
    }
}
