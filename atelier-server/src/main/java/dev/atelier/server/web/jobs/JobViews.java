package dev.atelier.server.web.jobs;

import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobLogLine;
import dev.atelier.server.jobs.JobStatus;
import dev.atelier.server.snapshots.Snapshot;
import dev.atelier.server.web.PageFrame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The models of the jobs pages' templates. */
public final class JobViews {
    private JobViews() {
    }

    /**
     * A jobs list ({@code title} at {@code path}: all jobs, or the pipelines): one page of top-level jobs, the status and type
     * filters ({@code ""} for all; the type selector shown when {@code typeFilter}), and the pager's links.
     */
    public record JobListView(PageFrame frame, String title, String path, String status, String type, boolean typeFilter, List<Job> jobs,
                              Optional<String> nextUrl, Optional<String> firstUrl) {
        public JobListView {
            requireNonNull(frame, "frame is null");
            requireNonNull(status, "status is null");
            requireNonNull(type, "type is null");
            jobs = List.copyOf(jobs);
        }

        public List<String> statuses() {
            return Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList();
        }

        public List<String> types() {
            return Arrays.stream(dev.atelier.server.jobs.JobType.values()).map(dev.atelier.server.jobs.JobType::wireName).toList();
        }
    }

    /**
     * A job's page; {@code canCancel} when the user may write and the job has not ended; {@code pipeline} when it has steps,
     * drawn in the browser from the jobs API (pipeline.js).
     */
    public record JobView(PageFrame frame, String title, Job job, String experimentName, List<TimelineStep> timeline,
                          Optional<Snapshot> snapshot, Optional<FileView> file, LogChunk logs, Optional<SweepTrials> trials,
                          Optional<AutoMlLeaderboard> leaderboard, boolean pipeline, boolean canCancel) {
        public JobView {
            requireNonNull(frame, "frame is null");
            requireNonNull(job, "job is null");
            requireNonNull(experimentName, "experimentName is null");
            timeline = List.copyOf(timeline);
        }

        /** The command the job runs (a sweep: its trials' command), as the job document gives it; empty for a pipeline. */
        public Optional<String> command() {
            var command = job.spec().path("command");
            if (!command.isTextual()) {
                command = job.spec().path("trial").path("command");
            }
            return command.isTextual() ? Optional.of(command.asText()) : Optional.empty();
        }
    }

    /** One reached state of the lifecycle and when it was reached. */
    public record TimelineStep(String status, long time) {
    }

    /** A snapshot file shown inline: its first {@link JobPages#MAX_FILE_VIEW} bytes as text unless it is binary. */
    public record FileView(String path, long size, String text, boolean binary, boolean truncated) {
    }

    /**
     * Log lines and the URL of the lines after them: polled every 2 s while the job {@code running},
     * loaded at once when the read was cut at its limit ({@code more}); neither, and the log is complete.
     * {@code endedStatus} is set in a polled answer once the job has ended: it replaces the status
     * shown at the top of the page (an htmx out-of-band swap).
     */
    public record LogChunk(List<JobLogLine> lines, boolean running, boolean more, String nextUrl, Optional<JobStatus> endedStatus) {
        public LogChunk {
            lines = List.copyOf(lines);
            requireNonNull(nextUrl, "nextUrl is null");
            requireNonNull(endedStatus, "endedStatus is null");
        }

        public boolean follow() {
            return running || more;
        }

        /** The htmx trigger of the element that fetches the next lines. */
        public String trigger() {
            return more ? "load" : "every 2s";
        }
    }

    /** The lifecycle states a job has reached, in order, with their times. */
    static List<TimelineStep> timeline(Job job) {
        List<TimelineStep> steps = new ArrayList<>();
        steps.add(new TimelineStep(JobStatus.QUEUED.wireName(), job.createdAt()));
        if (job.preparedAt() != null) {
            steps.add(new TimelineStep(JobStatus.PREPARING.wireName(), job.preparedAt()));
        }
        if (job.startedAt() != null) {
            steps.add(new TimelineStep(JobStatus.RUNNING.wireName(), job.startedAt()));
        }
        if (job.endedAt() != null && job.status().isTerminal()) {
            steps.add(new TimelineStep(job.status().wireName(), job.endedAt()));
        }
        return steps;
    }
}
