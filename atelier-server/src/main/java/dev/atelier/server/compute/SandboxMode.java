package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonValue;

/** How this server runs local workloads, decided once at start (docs/security.md, "Sandboxed local workloads"). */
public enum SandboxMode {
    /** Inside bubblewrap: own mount, PID, IPC and UTS namespaces, only system folders and the workload's own folder visible. */
    BUBBLEWRAP("bubblewrap", "bubblewrap"),
    /** No sandbox could be had: a clean environment and a folder outside the data directory, nothing more. */
    UNSANDBOXED("unsandboxed", "unsandboxed (clean environment only)"),
    /** No sandbox could be had and the server runs with {@code --auth}: local workloads are refused. */
    REFUSED("refused", "refused");

    private final String wireName;
    private final String description;

    SandboxMode(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** What the portal and the start banner show. */
    public String description() {
        return description;
    }
}
