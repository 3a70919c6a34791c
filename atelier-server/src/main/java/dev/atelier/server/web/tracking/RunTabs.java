package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.RunInfo;

import java.util.List;

/**
 * The tabs of a run's pages (overview, artifacts, logs, code) and which one is open.
 *
 * @param runUrl the run's page, such as {@code /w/team/runs/<id>}
 */
public record RunTabs(String runUrl, String active, boolean hasCode, boolean hasLogs) {
    public record Tab(String id, String label, String url) {
    }

    public List<Tab> all() {
        List<Tab> tabs = new java.util.ArrayList<>();
        tabs.add(new Tab("overview", "Overview", runUrl));
        tabs.add(new Tab("artifacts", "Artifacts", runUrl + "/artifacts"));
        tabs.add(new Tab("logs", "Logs", runUrl + "/logs"));
        if (hasCode) {
            tabs.add(new Tab("code", "Code", runUrl + "/code"));
        }
        return tabs;
    }

    static String name(RunInfo info) {
        return info.runName() == null || info.runName().isEmpty() ? info.runId() : info.runName();
    }
}
