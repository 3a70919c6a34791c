package dev.atelier.server.tracking;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One page of results and the token of the next page, when there is one. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    public Page {
        items = List.copyOf(items);
        requireNonNull(nextPageToken, "nextPageToken is null");
    }

    /** The answer MLflow's search endpoints give: {@code {"<itemsField>": [...], "next_page_token": "..."}}, the token only when there is a next page. */
    public java.util.Map<String, Object> body(String itemsField) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put(itemsField, items);
        nextPageToken.ifPresent(token -> body.put("next_page_token", token));
        return body;
    }
}
