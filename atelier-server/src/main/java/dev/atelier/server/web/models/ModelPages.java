package dev.atelier.server.web.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.registry.RegisteredModel;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.SearchHit;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The model registry's pages: the models list (MLflow's registry filter, sort, pages of 50), a
 * model (description, tags, aliases, every version with stage, aliases and tags) and a version
 * (signature, flavors, files, lineage to its run). Everything is read through the registry
 * service, scoped by the workspace of the URL; editing a description needs WRITE.
 */
public final class ModelPages implements PortalArea {
    static final int PAGE_SIZE = 50;
    static final List<String> SORTS = List.of("name ASC", "name DESC", "last_updated_timestamp DESC",
            "last_updated_timestamp ASC", "creation_timestamp DESC", "creation_timestamp ASC");

    private final PortalView view;
    private final RegistryService registry;

    public ModelPages(PortalView view, RegistryService registry) {
        this.view = requireNonNull(view, "view is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("models", "Models", "/models", 30);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/models", Permission.READ, this::list),
                Route.workspace(GET, "/models/{name}", Permission.READ, this::model),
                Route.workspace(POST, "/models/{name}/description", Permission.WRITE, this::describeModel),
                Route.workspace(GET, "/models/{name}/versions/{version}", Permission.READ, this::version),
                Route.workspace(POST, "/models/{name}/versions/{version}/description", Permission.WRITE, this::describeVersion));
    }

    @Override
    public List<SearchHit> search(String workspace, String text, int limit) {
        String pattern = text.replaceAll("['\"`%\\\\]", "");
        return registry.searchRegisteredModels(workspace, "name ILIKE '%" + pattern + "%'", List.of("name ASC"), Optional.of(limit),
                Optional.empty()).items().stream()
                .map(model -> new SearchHit("Model", model.name(), modelPath(model.name()),
                        model.latestVersions().isEmpty() ? "no versions" : "latest v" + model.latestVersions().getLast().version()))
                .toList();
    }

    /** The path of a model's page relative to the workspace, its name encoded as one path segment. */
    public static String modelPath(String name) {
        return "/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String versionPath(String name, String version) {
        return modelPath(name) + "/versions/" + version;
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String filter = Optional.ofNullable(ctx.queryParam("filter")).orElse("").trim();
        String sort = Optional.ofNullable(ctx.queryParam("sort")).filter(SORTS::contains).orElse("name ASC");
        Optional<String> token = Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isBlank());
        Page<RegisteredModel> page;
        Optional<String> error = Optional.empty();
        try {
            page = registry.searchRegisteredModels(workspace, filter, List.of(sort), Optional.of(PAGE_SIZE), token);
        } catch (AtelierException e) {
            // A filter the user typed is shown back with its error, not turned into an error page.
            if (e.errorCode() != ErrorCode.INVALID_PARAMETER_VALUE) {
                throw e;
            }
            page = new Page<>(List.of(), Optional.empty());
            error = Optional.of(e.getMessage());
        }
        PageFrame frame = view.frame(ctx, "models", "Models", Breadcrumb.here("Models"));
        String query = "?filter=" + Formats.query(filter) + "&sort=" + Formats.query(sort);
        view.render(ctx, "models/list.jte", new ModelViews.ModelListView(frame, filter, sort, error,
                page.items().stream().map(ModelViews.ModelRow::of).toList(),
                page.nextPageToken().map(next -> frame.url("/models") + query + "&page_token=" + Formats.query(next)),
                token.isPresent() ? Optional.of(frame.url("/models") + query) : Optional.empty()));
    }

    private void model(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        RegisteredModel model = registry.getRegisteredModel(workspace, ctx.pathParam("name"));
        List<ModelVersion> versions = registry.versionsOf(workspace, model.name());
        PageFrame frame = view.frame(ctx, "models", model.name(),
                Breadcrumb.link("Models", PortalView.base(workspace) + "/models"), Breadcrumb.here(model.name()));
        view.render(ctx, "models/model.jte", new ModelViews.ModelView(frame, model, versions));
    }

    private void version(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        ModelVersion version = registry.getModelVersion(workspace, ctx.pathParam("name"), ctx.pathParam("version"));
        String base = PortalView.base(workspace);
        PageFrame frame = view.frame(ctx, "models", version.name() + " v" + version.version(),
                Breadcrumb.link("Models", base + "/models"), Breadcrumb.link(version.name(), base + modelPath(version.name())),
                Breadcrumb.here("Version " + version.version()));
        view.render(ctx, "models/version.jte", ModelViews.VersionView.of(frame, registry.detail(workspace, version)));
    }

    private void describeModel(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        RegisteredModel model = registry.updateRegisteredModel(workspace, ctx.pathParam("name"), Optional.of(description(ctx)));
        PortalView.redirect(ctx, PortalView.base(workspace) + modelPath(model.name()));
    }

    private void describeVersion(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        ModelVersion version = registry.updateModelVersion(workspace, ctx.pathParam("name"), ctx.pathParam("version"),
                Optional.of(description(ctx)));
        PortalView.redirect(ctx, PortalView.base(workspace) + versionPath(version.name(), version.version()));
    }

    /** The posted description; it may be empty (that clears it) but must be sent. */
    private static String description(Context ctx) {
        String text = ctx.formParam("description");
        if (text == null) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'description'");
        }
        return text.strip();
    }
}
