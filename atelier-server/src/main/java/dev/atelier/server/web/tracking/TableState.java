package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.web.Formats;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The state of a runs table as its URL carries it, so that every view can be linked and reloaded:
 * filter (MLflow grammar), one order_by clause, the chosen columns ({@code metrics.x},
 * {@code params.y}, {@code tags.z}; absent means "pick some"), page size, lifecycle view and page token.
 */
public record TableState(String filter, String order, Optional<List<String>> columns, int size, ViewType view, String pageToken) {
    static final int DEFAULT_SIZE = 100;

    public TableState {
        requireNonNull(filter, "filter is null");
        requireNonNull(order, "order is null");
        columns = columns.map(List::copyOf);
        requireNonNull(view, "view is null");
        requireNonNull(pageToken, "pageToken is null");
    }

    static TableState from(Context ctx) {
        List<String> columns = ctx.queryParams("cols").stream().filter(column -> !column.isBlank()).toList();
        boolean chosen = ctx.queryParamMap().containsKey("cols");
        int size = DEFAULT_SIZE;
        String sizeText = ctx.queryParam("size");
        if (sizeText != null && sizeText.matches("\\d{1,4}")) {
            size = Math.max(10, Math.min(1000, Integer.parseInt(sizeText)));
        }
        return new TableState(value(ctx, "filter"), value(ctx, "order"), chosen ? Optional.of(columns) : Optional.empty(),
                size, ViewType.parse(ctx.queryParam("view")), value(ctx, "page_token"));
    }

    private static String value(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value.trim();
    }

    TableState withOrder(String newOrder) {
        return new TableState(filter, newOrder, columns, size, view, "");
    }

    TableState withColumns(List<String> newColumns) {
        return new TableState(filter, order, Optional.of(newColumns), size, view, pageToken);
    }

    TableState withPage(String token) {
        return new TableState(filter, order, columns, size, view, token);
    }

    /** The query string ({@code ?filter=...}) of this state, with the resolved columns. */
    String query(List<String> resolvedColumns) {
        List<String> parts = new ArrayList<>();
        if (!filter.isEmpty()) {
            parts.add("filter=" + Formats.query(filter));
        }
        if (!order.isEmpty()) {
            parts.add("order=" + Formats.query(order));
        }
        List<String> cols = columns.orElse(resolvedColumns);
        if (cols.isEmpty()) {
            parts.add("cols=");
        }
        cols.forEach(column -> parts.add("cols=" + Formats.query(column)));
        if (size != DEFAULT_SIZE) {
            parts.add("size=" + size);
        }
        if (view != ViewType.ACTIVE_ONLY) {
            parts.add("view=" + view.name());
        }
        if (!pageToken.isEmpty()) {
            parts.add("page_token=" + Formats.query(pageToken));
        }
        return "?" + String.join("&", parts);
    }
}
