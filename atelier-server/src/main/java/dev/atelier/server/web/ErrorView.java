package dev.atelier.server.web;

import static java.util.Objects.requireNonNull;

/** What an error page (or an htmx error flash) shows: the HTTP status, the error code and its message. */
public record ErrorView(int status, String code, String message) {
    public ErrorView {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    public String title() {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign-in required";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> status >= 500 ? "Server error" : "Request refused";
        };
    }
}
