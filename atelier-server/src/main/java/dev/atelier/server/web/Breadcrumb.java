package dev.atelier.server.web;

import static java.util.Objects.requireNonNull;

/** One step of a page's breadcrumbs; {@code href} is empty for the current page. */
public record Breadcrumb(String label, String href) {
    public Breadcrumb {
        requireNonNull(label, "label is null");
        requireNonNull(href, "href is null");
    }

    public static Breadcrumb link(String label, String href) {
        return new Breadcrumb(label, href);
    }

    public static Breadcrumb here(String label) {
        return new Breadcrumb(label, "");
    }
}
