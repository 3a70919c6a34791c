package dev.atelier.server.web.tracking;

import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.RunInfo;
import dev.atelier.server.tracking.RunStatus;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * A run's files: the artifact browser (one folder at a time, with an inline preview of the chosen
 * file), downloads, the code snapshot (the {@code code/} folder) and the logs viewer that follows
 * a running run's log files by polling their tail.
 */
public final class ArtifactPages {
    static final String CODE_FOLDER = "code";
    /** Folders whose files are logs (Azure ML's and Atelier's job layouts), besides {@code *.log} files at the root. */
    private static final List<String> LOG_FOLDERS = List.of("logs", "user_logs", "system_logs");
    /** How much of the end of a log file the viewer shows. */
    private static final int LOG_TAIL_BYTES = 64 * 1024;

    private final PortalView view;
    private final TrackingService tracking;
    private final TrackingReads reads;

    ArtifactPages(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.reads = new TrackingReads(tracking);
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/runs/{runId}/artifacts", Permission.READ, ctx -> browse(ctx, "", "artifacts")),
                Route.workspace(GET, "/runs/{runId}/code", Permission.READ, ctx -> browse(ctx, CODE_FOLDER, "code")),
                Route.workspace(GET, "/runs/{runId}/download", Permission.READ, this::download),
                Route.workspace(GET, "/runs/{runId}/logs", Permission.READ, this::logs),
                Route.workspace(GET, "/runs/{runId}/logs/tail", Permission.READ, this::tail));
    }

    /** One folder of the run's files under {@code root}, and the preview of {@code file} when one is chosen. */
    private void browse(Context ctx, String root, String tab) {
        String workspace = RequestContext.workspace(ctx);
        RunInfo info = tracking.getRunInfo(workspace, ctx.pathParam("runId"));
        Experiment experiment = tracking.getExperiment(workspace, info.experimentId());
        String folder = clean(Optional.ofNullable(ctx.queryParam("path")).orElse(""));
        String within = root.isEmpty() ? folder : folder.isEmpty() ? root : root + "/" + folder;
        List<FileInfo> files = tracking.listArtifacts(workspace, info.runId(), within).stream()
                .map(file -> new FileInfo(root.isEmpty() ? file.path() : file.path().substring(root.length() + 1), file.isDir(), file.fileSize()))
                .toList();
        Optional<String> file = Optional.ofNullable(ctx.queryParam("file")).map(ArtifactPages::clean).filter(f -> !f.isEmpty());
        Optional<ArtifactPreview> preview = file.map(name -> {
            String stored = root.isEmpty() ? name : root + "/" + name;
            try (ArtifactContent content = reads.openRunArtifact(workspace, info.runId(), stored)) {
                return ArtifactPreview.of(name, stored, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        PageFrame frame = RunPages.runFrame(view, ctx, experiment, info, tab.equals("code") ? "Code" : "Artifacts");
        view.render(ctx, "tracking/artifacts.jte", new ArtifactsView(frame, info, RunPages.tabs(tracking, workspace, info, tab),
                tab, folder, parents(folder), files, file, preview));
    }

    /** The file itself, always as an attachment: a stored HTML or SVG file never runs as a page of the portal. */
    private void download(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String path = clean(RunPages.requiredQuery(ctx, "path"));
        ArtifactContent content = reads.openRunArtifact(workspace, ctx.pathParam("runId"), path);
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^\\w.\\-]", "_");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
        // Sent as stored, with its exact length: a compressed stream would not match the Content-Length.
        ctx.disableCompression();
        ctx.header("Content-Length", Long.toString(content.size()));
        ctx.contentType(ArtifactPreview.mediaType(path));
        ctx.result(content.stream());
    }

    private void logs(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        RunInfo info = tracking.getRunInfo(workspace, ctx.pathParam("runId"));
        Experiment experiment = tracking.getExperiment(workspace, info.experimentId());
        List<String> files = logFiles(workspace, info.runId());
        Optional<String> chosen = Optional.ofNullable(ctx.queryParam("path")).map(ArtifactPages::clean).filter(files::contains)
                .or(() -> files.stream().findFirst());
        Optional<LogTail> tail = chosen.map(path -> readTail(workspace, info, path));
        PageFrame frame = RunPages.runFrame(view, ctx, experiment, info, "Logs");
        view.render(ctx, "tracking/logs.jte", new LogsView(frame, info, RunPages.tabs(tracking, workspace, info, "logs"), files,
                chosen, tail));
    }

    /** The log viewer's fragment, polled by htmx while the run is running. */
    private void tail(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        RunInfo info = tracking.getRunInfo(workspace, ctx.pathParam("runId"));
        String path = clean(RunPages.requiredQuery(ctx, "path"));
        view.render(ctx, "tracking/logtail.jte", readTail(workspace, info, path));
    }

    private LogTail readTail(String workspace, RunInfo info, String path) {
        try (ArtifactContent content = reads.openRunArtifact(workspace, info.runId(), path)) {
            long skip = Math.max(0, content.size() - LOG_TAIL_BYTES);
            content.stream().skipNBytes(skip);
            String text = new String(content.stream().readNBytes(LOG_TAIL_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            String url = PortalView.base(workspace) + "/runs/" + info.runId() + "/logs/tail?path=" + dev.atelier.server.web.Formats.query(path);
            return new LogTail(path, text, skip > 0, content.size(), info.status() == RunStatus.RUNNING, url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> logFiles(String workspace, String runId) {
        List<String> files = new ArrayList<>();
        for (FileInfo file : tracking.listArtifacts(workspace, runId, "")) {
            if (file.isDir() && LOG_FOLDERS.contains(file.path())) {
                tracking.listArtifacts(workspace, runId, file.path()).stream().filter(f -> !f.isDir())
                        .forEach(f -> files.add(f.path()));
            } else if (!file.isDir() && (file.path().endsWith(".log") || file.path().endsWith(".log.txt"))) {
                files.add(file.path());
            }
        }
        return files;
    }

    /** A user's path with surrounding slashes removed; the artifact domain refuses {@code ..} and absolute paths. */
    static String clean(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static List<Breadcrumb> parents(String folder) {
        List<Breadcrumb> crumbs = new ArrayList<>();
        if (folder.isEmpty()) {
            return crumbs;
        }
        String[] parts = folder.split("/");
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            path.append(path.length() == 0 ? "" : "/").append(part);
            crumbs.add(Breadcrumb.link(part, path.toString()));
        }
        return crumbs;
    }

    /** What the artifact browser shows; {@code folder} and file paths are relative to the tab's root. */
    public record ArtifactsView(PageFrame frame, RunInfo run, RunTabs tabs, String tab, String folder, List<Breadcrumb> folderPath,
                                List<FileInfo> files, Optional<String> file, Optional<ArtifactPreview> preview) {
        /** Whether the folder shown holds an MLflow model (an {@code MLmodel} file): it can be registered. */
        public boolean modelFolder() {
            return files.stream().anyMatch(f -> !f.isDir() && (f.path().equals("MLmodel") || f.path().endsWith("/MLmodel")));
        }

        public ArtifactsView {
            folderPath = List.copyOf(folderPath);
            files = List.copyOf(files);
        }

        public String browseUrl() {
            return tabs.runUrl() + "/" + tab;
        }
    }

    /** The end of one log file; {@code follow} while the run is running (the fragment polls itself). */
    public record LogTail(String path, String text, boolean truncated, long size, boolean follow, String url) {
    }

    /** What the logs page shows. */
    public record LogsView(PageFrame frame, RunInfo run, RunTabs tabs, List<String> files, Optional<String> chosen,
                           Optional<LogTail> tail) {
        public LogsView {
            files = List.copyOf(files);
        }
    }
}
