package dev.atelier.server.web.tracing;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracing.Span;
import dev.atelier.server.tracing.TraceInfo;
import dev.atelier.server.tracing.TraceService;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ExperimentQuery;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * Traces in the portal: the newest traces of the workspace ({@code /traces}), an experiment's traces
 * ({@code /experiments/<id>/traces}, a tab beside its runs) with MLflow's trace filter, and one trace
 * ({@code /traces/<request id>}): its info, and its spans as a tree with timing bars and each span's inputs,
 * outputs, attributes and events, read from the trace's traces.json. Read-only; thread-safe.
 */
public final class TracePages implements PortalArea {
    private static final int PAGE_SIZE = 100;
    /** The experiments {@code /traces} looks in: the most recently updated ones. */
    private static final int EXPERIMENTS_LISTED = 200;

    private final PortalView view;
    private final TraceService traces;
    private final TrackingService tracking;

    public TracePages(PortalView view, TraceService traces, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.traces = requireNonNull(traces, "traces is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("traces", "Traces", "/traces", 11);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/traces", Permission.READ, this::workspaceTraces),
                Route.workspace(GET, "/experiments/{experimentId}/traces", Permission.READ, this::experimentTraces),
                Route.workspace(GET, "/traces/{requestId}", Permission.READ, this::trace));
    }

    private void workspaceTraces(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        List<Experiment> experiments = tracking.searchExperiments(workspace, new ExperimentQuery("", ViewType.ACTIVE_ONLY,
                List.of("last_update_time DESC")), EXPERIMENTS_LISTED, Optional.empty()).items();
        PageFrame frame = view.frame(ctx, "traces", "Traces", Breadcrumb.here("Traces"));
        render(ctx, frame, experiments, Optional.empty(), "/traces");
    }

    private void experimentTraces(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Experiment experiment = tracking.getExperiment(workspace, ctx.pathParam("experimentId"));
        PageFrame frame = view.frame(ctx, "experiments", experiment.name() + " · traces",
                Breadcrumb.link("Experiments", PortalView.base(workspace) + "/experiments"),
                Breadcrumb.link(experiment.name(), PortalView.base(workspace) + "/experiments/" + experiment.experimentId()),
                Breadcrumb.here("Traces"));
        render(ctx, frame, List.of(experiment), Optional.of(experiment), "/experiments/" + experiment.experimentId() + "/traces");
    }

    private void render(Context ctx, PageFrame frame, List<Experiment> experiments, Optional<Experiment> experiment, String path) {
        String filter = Optional.ofNullable(ctx.queryParam("filter")).orElse("").trim();
        Optional<String> token = Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isBlank());
        Map<String, String> names = experiments.stream().collect(Collectors.toMap(Experiment::experimentId, Experiment::name));
        Page<TraceInfo> page = experiments.isEmpty() ? new Page<>(List.of(), Optional.empty())
                : traces.search(RequestContext.workspace(ctx), List.copyOf(names.keySet()), filter, List.of(), PAGE_SIZE, token);
        view.render(ctx, "tracing/traces.jte", new TraceListView(frame, experiment, path, filter, page.items(), names,
                page.nextPageToken().map(next -> frame.url(path) + "?filter=" + dev.atelier.server.web.Formats.query(filter)
                        + "&page_token=" + dev.atelier.server.web.Formats.query(next))));
    }

    private void trace(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        TraceInfo trace = traces.get(workspace, ctx.pathParam("requestId"));
        Experiment experiment = tracking.getExperiment(workspace, trace.experimentId());
        String title = trace.name().orElse(trace.requestId());
        PageFrame frame = view.frame(ctx, "experiments", title,
                Breadcrumb.link("Experiments", PortalView.base(workspace) + "/experiments"),
                Breadcrumb.link(experiment.name(), PortalView.base(workspace) + "/experiments/" + experiment.experimentId()),
                Breadcrumb.link("Traces", PortalView.base(workspace) + "/experiments/" + experiment.experimentId() + "/traces"),
                Breadcrumb.here(title));
        Optional<List<SpanRow>> spans = traces.spans(workspace, trace.requestId()).map(SpanRow::tree);
        view.render(ctx, "tracing/trace.jte", new TraceView(frame, trace, experiment, spans));
    }

    /** An experiment's (or the workspace's) traces, newest first. */
    public record TraceListView(PageFrame frame, Optional<Experiment> experiment, String path, String filter, List<TraceInfo> traces,
                                Map<String, String> experimentNames, Optional<String> nextUrl) {
        public TraceListView {
            traces = List.copyOf(traces);
            experimentNames = Map.copyOf(experimentNames);
        }

        /** The tags a user set (not MLflow's own {@code mlflow.} ones). */
        public static List<Map.Entry<String, String>> userTags(TraceInfo trace) {
            return trace.tags().entrySet().stream().filter(tag -> !tag.getKey().startsWith("mlflow.")).toList();
        }
    }

    /** One trace and its span tree, when its traces.json is on this server. */
    public record TraceView(PageFrame frame, TraceInfo trace, Experiment experiment, Optional<List<SpanRow>> spans) {
        public List<Map.Entry<String, String>> metadata() {
            return List.copyOf(trace.requestMetadata().entrySet());
        }

        public List<Map.Entry<String, String>> tags() {
            return List.copyOf(trace.tags().entrySet());
        }
    }

    /**
     * A span placed in the tree: its depth, and its bar as percentages of the whole trace's time span.
     */
    public record SpanRow(Span span, int depth, double offsetPercent, double widthPercent) {
        public String durationMs() {
            return String.format(java.util.Locale.ROOT, "%.1f", (span.endNanos() - span.startNanos()) / 1e6);
        }

        public String barStyle() {
            return String.format(java.util.Locale.ROOT, "margin-left:%.2f%%;width:%.2f%%", offsetPercent, Math.max(0.5, widthPercent));
        }

        public List<Map.Entry<String, String>> attributes() {
            return span.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        }

        /** The spans in tree order (each after its parent, siblings by start time); orphans are roots. */
        static List<SpanRow> tree(List<Span> spans) {
            if (spans.isEmpty()) {
                return List.of();
            }
            long start = spans.stream().mapToLong(Span::startNanos).min().orElse(0);
            long end = spans.stream().mapToLong(Span::endNanos).max().orElse(start);
            double total = Math.max(1, end - start);
            Map<String, Span> byId = spans.stream().collect(Collectors.toMap(Span::spanId, Function.identity(), (a, b) -> a));
            Map<String, List<Span>> children = spans.stream()
                    .filter(span -> span.parentId().filter(byId::containsKey).isPresent())
                    .collect(Collectors.groupingBy(span -> span.parentId().orElseThrow()));
            List<SpanRow> rows = new java.util.ArrayList<>();
            spans.stream().filter(span -> span.parentId().filter(byId::containsKey).isEmpty())
                    .sorted(java.util.Comparator.comparingLong(Span::startNanos))
                    .forEach(root -> add(rows, root, 0, children, start, total));
            return rows;
        }

        private static void add(List<SpanRow> rows, Span span, int depth, Map<String, List<Span>> children, long start, double total) {
            rows.add(new SpanRow(span, depth, (span.startNanos() - start) * 100 / total, (span.endNanos() - span.startNanos()) * 100 / total));
            children.getOrDefault(span.spanId(), List.of()).stream().sorted(java.util.Comparator.comparingLong(Span::startNanos))
                    .forEach(child -> add(rows, child, depth + 1, children, start, total));
        }
    }
}
