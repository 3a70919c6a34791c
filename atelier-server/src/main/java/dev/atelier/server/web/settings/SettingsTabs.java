package dev.atelier.server.web.settings;

import dev.atelier.server.web.PageFrame;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The tab bar of the settings pages; the audit log's tab is shown only to whoever may read it.
 *
 * @param active the id of the page shown ({@code members}, {@code tokens}, ...; {@code index} for the overview)
 */
public record SettingsTabs(PageFrame frame, String active, boolean showAudit) {
    public SettingsTabs {
        requireNonNull(frame, "frame is null");
        requireNonNull(active, "active is null");
    }

    /** One tab: its id, label and URL. */
    public record Tab(String id, String label, String url) {
    }

    public List<Tab> all() {
        List<Tab> tabs = new ArrayList<>();
        tabs.add(new Tab("members", "Members and roles", frame.url("/settings/members")));
        tabs.add(new Tab("tokens", "Your API tokens", frame.url("/settings/tokens")));
        tabs.add(new Tab("secrets", "Secrets", frame.url("/settings/secrets")));
        if (showAudit) {
            tabs.add(new Tab("audit", "Audit log", frame.url("/settings/audit")));
        }
        tabs.add(new Tab("workspace", "Workspace", frame.url("/settings/workspace")));
        return tabs;
    }
}
