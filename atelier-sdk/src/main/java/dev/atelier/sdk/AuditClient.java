package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The audit log: of one workspace ({@code /api/v1/audit}, needs MANAGE_ACCESS there) or of the
 * whole server ({@code /api/v1/admin/audit}, needs a server admin), depending on where the client
 * came from ({@link AtelierClient#audit()} or {@link AdminClient#audit()}). Thread-safe. Methods
 * throw {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class AuditClient {
    private static final int PAGE_SIZE = 1000;

    private final HttpTransport transport;
    private final String path;
    private final boolean serverWide;

    AuditClient(HttpTransport transport, String path, boolean serverWide) {
        this.transport = requireNonNull(transport, "transport is null");
        this.path = requireNonNull(path, "path is null");
        this.serverWide = serverWide;
    }

    /** One page of at most {@code maxResults} events matching {@code query}. */
    public AuditPage search(AuditQuery query, int maxResults, Optional<String> pageToken) {
        requireNonNull(query, "query is null");
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1: " + maxResults);
        }
        if (query.workspace().isPresent() && !serverWide) {
            throw new IllegalArgumentException("a workspace's audit log cannot be narrowed to another workspace; use admin().audit()");
        }
        List<String> parameters = new ArrayList<>();
        query.since().ifPresent(time -> parameters.add("since=" + time.toEpochMilli()));
        query.until().ifPresent(time -> parameters.add("until=" + time.toEpochMilli()));
        query.principal().ifPresent(name -> parameters.add("principal=" + HttpTransport.encode(name)));
        query.workspace().ifPresent(name -> parameters.add("workspace=" + HttpTransport.encode(name)));
        parameters.add("max_results=" + maxResults);
        requireNonNull(pageToken, "pageToken is null").ifPresent(token -> parameters.add("page_token=" + HttpTransport.encode(token)));
        JsonNode answer = transport.get(path + "?" + String.join("&", parameters));
        List<AuditEvent> events = new ArrayList<>();
        answer.path("events").forEach(node -> events.add(AuditEvent.fromJson(node)));
        Optional<String> next = JsonFields.optionalText(answer, "next_page_token").filter(token -> !token.isEmpty());
        return new AuditPage(events, next);
    }

    /** Up to {@code max} events matching {@code query}, following page tokens. */
    public List<AuditEvent> list(AuditQuery query, int max) {
        List<AuditEvent> events = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            AuditPage page = search(query, Math.min(PAGE_SIZE, max - events.size()), token);
            events.addAll(page.events());
            token = page.nextPageToken();
        } while (token.isPresent() && events.size() < max);
        return events.size() > max ? events.subList(0, max) : events;
    }
}
