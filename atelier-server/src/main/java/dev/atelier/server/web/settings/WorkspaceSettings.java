package dev.atelier.server.web.settings;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.Workspace;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.workspace.WorkspaceService;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The workspace's properties ({@code /settings/workspace}): name, description, tags, creation and
 * update times for everyone with READ; editing and deletion for whoever the API lets change a
 * workspace ({@code PATCH}/{@code DELETE /api/v1/workspaces/{name}}: SERVER_ADMIN). Deletion asks for
 * the workspace's name typed out, and for an explicit "everything in it too" (the API's
 * {@code force}) when it is not empty, for example when it holds secrets.
 */
public final class WorkspaceSettings {
    private final PortalView view;
    private final WorkspaceService workspaces;
    private final SecretService secrets;

    WorkspaceSettings(PortalView view, WorkspaceService workspaces, SecretService secrets) {
        this.view = requireNonNull(view, "view is null");
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/settings/workspace", Permission.READ, this::show),
                Route.workspace(POST, "/settings/workspace", Permission.SERVER_ADMIN, this::update),
                Route.workspace(POST, "/settings/workspace/delete", Permission.SERVER_ADMIN, this::delete));
    }

    private void show(Context ctx) {
        String name = RequestContext.workspace(ctx);
        SettingsTabs tabs = SettingsPages.tabs(view, ctx, "workspace", "Workspace");
        Workspace workspace = workspaces.get(name);
        view.render(ctx, "settings/workspace.jte", new WorkspaceView(tabs.frame(), tabs, workspace, tagText(workspace.tags()),
                secrets.list(name).size(), view.permitsOnServer(ctx, Permission.SERVER_ADMIN), !Workspace.DEFAULT.equals(name)));
    }

    /** Sets the description and, when the form has {@code tags}, replaces the tags with its {@code key=value} lines. */
    private void update(Context ctx) {
        String name = RequestContext.workspace(ctx);
        String description = ctx.formParam("description");
        if (description == null) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'description'");
        }
        Map<String, String> tags = new HashMap<>();
        String typedTags = ctx.formParam("tags");
        if (typedTags != null) {
            workspaces.get(name).tags().keySet().forEach(key -> tags.put(key, null));
            tags.putAll(parseTags(typedTags));
        }
        workspaces.update(name, Optional.of(description.strip()), tags);
        PortalView.redirect(ctx, PortalView.base(name) + "/settings/workspace");
    }

    /**
     * Deletes the workspace when {@code confirm} is its name; one that is not empty also needs
     * {@code force}. Then the browser goes to the default workspace.
     */
    private void delete(Context ctx) {
        String name = RequestContext.workspace(ctx);
        String typed = Optional.ofNullable(ctx.formParam("confirm")).orElse("").strip();
        if (!typed.equals(name)) {
            throw AtelierException.invalidParameter("Type the workspace's name '" + name + "' in 'confirm' to delete it"
                    + (typed.isEmpty() ? "" : "; '" + typed + "' is not its name"));
        }
        boolean force = "true".equals(ctx.formParam("force")) || "on".equals(ctx.formParam("force"));
        try {
            workspaces.delete(name, force);
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.INVALID_STATE || force) {
                throw e;
            }
            throw AtelierException.invalidState("Workspace '" + name + "' is not empty (it holds experiments, runs, models, "
                    + "data, secrets or endpoints): tick 'Delete everything in it too' to delete them with it");
        }
        PortalView.redirect(ctx, "/");
    }

    /** {@code key=value} lines; blank lines are skipped, anything else without {@code =} or with an empty key is refused. */
    static Map<String, String> parseTags(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0 || line.substring(0, equals).isBlank()) {
                throw AtelierException.invalidParameter("Invalid tag line '" + line.strip() + "': write one key=value per line");
            }
            tags.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return tags;
    }

    private static String tagText(Map<String, String> tags) {
        StringBuilder text = new StringBuilder();
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        return text.toString();
    }

    /**
     * What the workspace page shows.
     *
     * @param tagText     the tags as {@code key=value} lines, for the edit form
     * @param canAdminister editing and deletion are offered (SERVER_ADMIN)
     * @param deletable   false for {@code default}, which cannot be deleted
     */
    public record WorkspaceView(PageFrame frame, SettingsTabs tabs, Workspace workspace, String tagText, int secretCount,
                                boolean canAdminister, boolean deletable) {
        public WorkspaceView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
            requireNonNull(workspace, "workspace is null");
            requireNonNull(tagText, "tagText is null");
        }

        public List<Map.Entry<String, String>> tags() {
            return workspace.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        }
    }
}
