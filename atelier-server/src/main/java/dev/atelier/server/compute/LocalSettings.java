package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import static java.util.Objects.requireNonNull;

/**
 * What the {@code local} target shows of its backend (its {@code local} property in the API, the compute page):
 * the sandbox mode and the limits, e.g. {@code {"sandbox": "bubblewrap", "network": true, "max_memory_mb": 4096}}.
 */
public record LocalSettings(SandboxMode sandbox, @JsonUnwrapped LocalLimits limits) {
    public static final LocalSettings UNKNOWN = new LocalSettings(SandboxMode.UNSANDBOXED, LocalLimits.NONE);

    public LocalSettings {
        requireNonNull(sandbox, "sandbox is null");
        requireNonNull(limits, "limits is null");
    }
}
