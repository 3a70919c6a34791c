package dev.atelier.server.web.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobLogLine;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.jobs.JobStatus;
import dev.atelier.server.jobs.JobType;
import dev.atelier.server.snapshots.Snapshot;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.jobs.JobViews.FileView;
import dev.atelier.server.web.jobs.JobViews.JobListView;
import dev.atelier.server.web.jobs.JobViews.JobView;
import dev.atelier.server.web.jobs.JobViews.LogChunk;
import dev.atelier.server.web.SearchHit;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Jobs: the list (paged, filtered by status) and each job's page (status timeline, run, snapshot
 * files, logs followed while it runs, cancel, a sweep's trials). Reads through the jobs, snapshot
 * and tracking services, scoped by the workspace of the URL.
 */
public final class JobPages implements PortalArea {
    static final int PAGE_SIZE = 50;
    private static final int SEARCHED_JOBS = 500;
    /** Log lines per page load or poll; a longer log continues on the next poll. */
    static final int LOG_LINES = 2000;
    /** Snapshot files larger than this are offered as downloads of the job's run, not shown inline. */
    static final int MAX_FILE_VIEW = 256 * 1024;

    private final PortalView view;
    private final JobService jobs;
    private final SnapshotService snapshots;
    private final TrackingService tracking;

    public JobPages(PortalView view, JobService jobs, SnapshotService snapshots, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("jobs", "Jobs", "/jobs", 40);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/jobs", Permission.READ, this::list),
                Route.workspace(GET, "/jobs/{name}", Permission.READ, this::show),
                Route.workspace(GET, "/jobs/{name}/logs", Permission.READ, this::logs),
                Route.workspace(POST, "/jobs/{name}/cancel", Permission.WRITE, this::cancel));
    }

    /** Jobs are matched by name and display name among the {@value #SEARCHED_JOBS} most recent top-level ones. */
    @Override
    public List<SearchHit> search(String workspace, String text, int limit) {
        return jobs.page(workspace, Optional.empty(), Optional.empty(), Optional.empty(), SEARCHED_JOBS).stream()
                .filter(job -> SearchHit.matches(job.name(), text) || SearchHit.matches(job.displayName(), text))
                .limit(limit)
                .map(job -> new SearchHit("Job", job.displayName() == null || job.displayName().isBlank() ? job.name() : job.displayName(),
                        "/jobs/" + job.name(), job.type().wireName() + ", " + job.status().wireName()))
                .toList();
    }

    private void list(Context ctx) {
        Optional<JobType> type = Optional.ofNullable(ctx.queryParam("type")).filter(s -> !s.isBlank()).map(JobPages::type);
        renderList(view, jobs, ctx, "jobs", "Jobs", "/jobs", type, true);
    }

    /**
     * One page of top-level jobs of {@code type} (any when empty) filtered by the request's {@code status}, as the page
     * {@code path} of area {@code area} shows them; {@code typeFilter} offers the type selector.
     */
    static void renderList(PortalView view, JobService jobs, Context ctx, String area, String title, String path,
                           Optional<JobType> type, boolean typeFilter) {
        String workspace = RequestContext.workspace(ctx);
        Optional<JobStatus> status = Optional.ofNullable(ctx.queryParam("status")).filter(s -> !s.isBlank()).map(JobPages::status);
        Optional<Long> before = Optional.ofNullable(ctx.queryParam("before")).filter(s -> !s.isBlank()).map(JobPages::sequence);
        List<Job> page = jobs.page(workspace, status, type, before, PAGE_SIZE + 1);
        PageFrame frame = view.frame(ctx, area, title, Breadcrumb.here(title));
        String query = frame.url(path) + "?status=" + status.map(JobStatus::wireName).orElse("")
                + (typeFilter ? "&type=" + type.map(JobType::wireName).orElse("") : "");
        Optional<String> next = page.size() > PAGE_SIZE
                ? Optional.of(query + "&before=" + page.get(PAGE_SIZE - 1).queueSeq()) : Optional.empty();
        view.render(ctx, "jobs/list.jte", new JobListView(frame, title, path, status.map(JobStatus::wireName).orElse(""),
                type.map(JobType::wireName).orElse(""), typeFilter, page.subList(0, Math.min(PAGE_SIZE, page.size())), next,
                before.isPresent() ? Optional.of(query) : Optional.empty()));
    }

    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Job job = jobs.get(workspace, ctx.pathParam("name"));
        String title = job.displayName() == null || job.displayName().isBlank() ? job.name() : job.displayName();
        // A pipeline job is listed under Pipelines: the navigation and the breadcrumbs say so.
        boolean pipeline = job.type() == JobType.PIPELINE;
        List<Breadcrumb> crumbs = new ArrayList<>(List.of(pipeline ? Breadcrumb.link("Pipelines", PortalView.base(workspace) + "/pipelines")
                : Breadcrumb.link("Jobs", PortalView.base(workspace) + "/jobs")));
        if (job.parentJob() != null) {
            crumbs.add(Breadcrumb.link(job.parentJob(), PortalView.base(workspace) + "/jobs/" + job.parentJob()));
        }
        crumbs.add(Breadcrumb.here(title));
        PageFrame frame = view.frame(ctx, pipeline ? "pipelines" : "jobs", title, crumbs.toArray(Breadcrumb[]::new));
        Optional<Snapshot> snapshot = Optional.ofNullable(job.snapshotId()).map(id -> snapshots.get(workspace, id));
        Optional<FileView> file = Optional.ofNullable(ctx.queryParam("file")).filter(f -> !f.isBlank())
                .map(path -> file(workspace, snapshot.orElseThrow(() -> AtelierException.notFound("Job '" + job.name()
                        + "' has no code snapshot")), path));
        Optional<SweepTrials> trials = job.type() == JobType.SWEEP
                ? Optional.of(SweepTrials.of(tracking, jobs, workspace, job)) : Optional.empty();
        view.render(ctx, "jobs/job.jte", new JobView(frame, title, job,
                tracking.getExperiment(workspace, job.experimentId()).name(), JobViews.timeline(job), snapshot, file,
                logChunk(frame, workspace, job, 0, false), trials, AutoMlLeaderboard.of(job, (runId, folder) -> tracking.listArtifacts(workspace, runId, folder)
                        .stream().filter(artifact -> !artifact.isDir()).map(artifact -> artifact.path()).toList()), job.type() == JobType.PIPELINE,
                view.permits(ctx, Permission.WRITE) && !job.status().isTerminal()));
    }

    /** The lines after {@code after} and, while the job has not ended, the element that polls for the next ones. */
    private void logs(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Job job = jobs.get(workspace, ctx.pathParam("name"));
        long after = Optional.ofNullable(ctx.queryParam("after")).filter(s -> !s.isBlank()).map(JobPages::sequence).orElse(0L);
        PageFrame frame = view.frame(ctx, "jobs", job.name());
        view.render(ctx, "jobs/logchunk.jte", logChunk(frame, workspace, job, after, true));
    }

    /**
     * {@code job} must have been read before the lines: a job that had ended then has written every
     * line it ever will, so once a read after its end returns fewer than {@link #LOG_LINES}, the log is complete.
     */
    private LogChunk logChunk(PageFrame frame, String workspace, Job job, long after, boolean polled) {
        List<JobLogLine> lines = jobs.logs(workspace, job.name(), after, LOG_LINES);
        long last = lines.isEmpty() ? after : lines.getLast().seq();
        return new LogChunk(lines, !job.status().isTerminal(), lines.size() == LOG_LINES,
                frame.url("/jobs/" + job.name() + "/logs?after=" + last),
                polled && job.status().isTerminal() ? Optional.of(job.status()) : Optional.empty());
    }

    private void cancel(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Job job = jobs.cancel(workspace, ctx.pathParam("name"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/jobs/" + job.name());
    }

    private FileView file(String workspace, Snapshot snapshot, String path) {
        long size = snapshot.files().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> AtelierException.notFound("Snapshot '" + snapshot.snapshotId() + "' has no file '" + path + "'")).size();
        try (InputStream in = snapshots.openFile(workspace, snapshot.snapshotId(), path)) {
            byte[] bytes = in.readNBytes(MAX_FILE_VIEW);
            boolean binary = false;
            for (byte b : bytes) {
                binary |= b == 0;
            }
            String text = binary ? "" : new String(bytes, StandardCharsets.UTF_8);
            return new FileView(path, size, text, binary, size > MAX_FILE_VIEW);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot file " + path, e);
        }
    }

    private static JobStatus status(String value) {
        return Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value))
                .findFirst().orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + value + "' for parameter 'status': "
                        + "expected one of " + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList()));
    }

    private static JobType type(String value) {
        try {
            return JobType.parse(value);
        } catch (IllegalArgumentException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for parameter 'type': expected one of "
                    + Arrays.stream(JobType.values()).map(JobType::wireName).toList());
        }
    }

    private static long sequence(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for a log or page position: expected a number");
        }
    }
}
