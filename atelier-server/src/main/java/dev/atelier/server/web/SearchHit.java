package dev.atelier.server.web;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One thing the top bar's search found in an area other than tracking: what kind it is ("Model", "Data asset"...),
 * its name, its page (a path relative to the workspace, {@code /models/iris}) and a few words about it.
 */
public record SearchHit(String kind, String name, String path, String detail) {
    public SearchHit {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(detail, "detail is null");
    }

    /** Whether {@code name} contains {@code text}, ignoring case: how every area matches the search's text. */
    public static boolean matches(String name, String text) {
        return name != null && name.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }
}
