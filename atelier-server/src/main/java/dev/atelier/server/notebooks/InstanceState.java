package dev.atelier.server.notebooks;

import java.util.Locale;

/**
 * Where a compute instance stands, with Azure ML's names: {@code Creating} until its first start listens, then
 * {@code Running}; {@code Stopping} while its server is being stopped, then {@code Stopped}; {@code Failed} when its
 * server could not start or ended on its own (the message says why).
 */
public enum InstanceState {
    CREATING, RUNNING, STOPPING, STOPPED, FAILED;

    public String wireName() {
        String name = name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static InstanceState parse(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
