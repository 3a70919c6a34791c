package dev.atelier.server.web;

import static java.util.Objects.requireNonNull;

/**
 * An entry of the portal's left navigation.
 *
 * @param id    stable identifier ({@code experiments}, {@code models}); pages name it to be highlighted
 * @param title what the navigation shows
 * @param path  the area's first page, relative to the workspace ({@code /experiments})
 * @param order position in the navigation, ascending
 */
public record NavItem(String id, String title, String path, int order) {
    public NavItem {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(path, "path is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("nav path must start with '/': " + path);
        }
    }
}
