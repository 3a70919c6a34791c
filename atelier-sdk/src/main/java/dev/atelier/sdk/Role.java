package dev.atelier.sdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** A role in a workspace (docs/security.md, "Roles"), spelled on the wire as {@link #wireName()}. */
public enum Role {
    OWNER("Owner"),
    CONTRIBUTOR("Contributor"),
    DATA_SCIENTIST("Data Scientist"),
    COMPUTE_OPERATOR("Compute Operator"),
    READER("Reader");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name the server uses, such as {@code Data Scientist}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a role as people type it: in any case, with a space, dash or underscore between words
     * ({@code owner}, {@code Data Scientist}, {@code data-scientist}, {@code COMPUTE_OPERATOR}).
     *
     * @throws IllegalArgumentException naming the roles when {@code text} is none of them
     */
    public static Role parse(String text) {
        String key = requireNonNull(text, "text is null").strip().replaceAll("[\\s_-]+", "_").toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(role -> role.name().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + text + "'; expected one of "
                        + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "))));
    }
}
