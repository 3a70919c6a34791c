package dev.atelier.server.web;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the layout around every page shows: title, workspace switcher, navigation, breadcrumbs, the
 * signed-in user and the CSRF token htmx sends with every change.
 *
 * @param base       URL prefix of the workspace's pages: empty for {@code default}, {@code /w/<name>} otherwise
 * @param activeArea id of the navigation entry to highlight
 * @param canWrite   whether the user may change the workspace's objects (actions are shown only then)
 * @param signedIn   whether the user signed in with a session (a sign-out button is shown)
 */
public record PageFrame(String title, String workspace, String base, List<String> workspaces, List<NavItem> nav,
                        String activeArea, List<Breadcrumb> breadcrumbs, String user, Optional<String> csrfToken,
                        boolean canWrite, boolean signedIn) {
    public PageFrame {
        requireNonNull(title, "title is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(base, "base is null");
        workspaces = List.copyOf(workspaces);
        nav = List.copyOf(nav);
        requireNonNull(activeArea, "activeArea is null");
        breadcrumbs = List.copyOf(breadcrumbs);
        requireNonNull(user, "user is null");
        requireNonNull(csrfToken, "csrfToken is null");
    }

    /** The URL of another workspace's page at the same place as {@code path} ({@code /experiments}). */
    public String workspaceUrl(String otherWorkspace, String path) {
        return PortalView.base(otherWorkspace) + path;
    }

    /** A link to a page of this workspace. */
    public String url(String path) {
        return base + path;
    }

    /** The {@code hx-headers} JSON that sends the CSRF token with htmx requests; {@code {}} without a session. */
    public String htmxHeaders() {
        return csrfToken.map(token -> "{\"X-CSRF-Token\": \"" + token + "\"}").orElse("{}");
    }
}
