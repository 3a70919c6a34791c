package dev.atelier.server.web.settings;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.audit.AuditEvent;
import dev.atelier.server.audit.AuditPage;
import dev.atelier.server.audit.AuditPageToken;
import dev.atelier.server.audit.AuditQuery;
import dev.atelier.server.audit.AuditService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * The workspace's audit log ({@code /settings/audit}, MANAGE_ACCESS, like {@code GET /api/v1/audit}):
 * newest first, {@value #PAGE_SIZE} events a page, filtered by principal and by a range of UTC dates
 * ({@code since} from the start of its day, {@code until} to the end of its day), paged with the
 * log's page tokens. A filter the page cannot read is shown above an empty table with a 400.
 */
public final class AuditSettings {
    static final int PAGE_SIZE = 50;

    private final PortalView view;
    private final AuditService audit;

    AuditSettings(PortalView view, AuditService audit) {
        this.view = requireNonNull(view, "view is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    List<Route> routes() {
        return List.of(Route.workspace(GET, "/settings/audit", Permission.MANAGE_ACCESS, this::list));
    }

    private void list(Context ctx) {
        Filter filter = new Filter(param(ctx, "principal"), param(ctx, "since"), param(ctx, "until"), param(ctx, "page_token"));
        SettingsTabs tabs = SettingsPages.tabs(view, ctx, "audit", "Audit log");
        AuditPage page;
        try {
            page = audit.search(filter.query(RequestContext.workspace(ctx)));
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.INVALID_PARAMETER_VALUE) {
                throw e;
            }
            view.render(ctx, 400, "settings/audit.jte", new AuditView(tabs.frame(), tabs, filter, List.of(), Optional.empty(),
                    Optional.of(e.getMessage())));
            return;
        }
        view.render(ctx, "settings/audit.jte", new AuditView(tabs.frame(), tabs, filter, page.events(),
                Optional.ofNullable(page.nextPageToken()), Optional.empty()));
    }

    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value.strip();
    }

    /** The filters as typed (blank: not set), kept to fill the form and the paging links. */
    public record Filter(String principal, String since, String until, String pageToken) {
        public Filter {
            requireNonNull(principal, "principal is null");
            requireNonNull(since, "since is null");
            requireNonNull(until, "until is null");
            requireNonNull(pageToken, "pageToken is null");
        }

        AuditQuery query(String workspace) {
            Optional<Long> from = date("since", since).map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            Optional<Long> to = date("until", until).map(day -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            if (from.isPresent() && to.isPresent() && from.get() >= to.get()) {
                throw AtelierException.invalidParameter("Invalid range: 'since' (" + since + ") is after 'until' (" + until + ")");
            }
            return new AuditQuery(Optional.of(workspace), Optional.of(principal).filter(text -> !text.isEmpty()), from, to,
                    PAGE_SIZE, Optional.of(pageToken).filter(text -> !text.isEmpty()).map(AuditPageToken::decode));
        }

        private static Optional<LocalDate> date(String field, String text) {
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(LocalDate.parse(text));
            } catch (DateTimeParseException e) {
                throw AtelierException.invalidParameter("Invalid value '" + text + "' for '" + field + "': expected a date "
                        + "as YYYY-MM-DD (UTC)");
            }
        }

        /** The query string of these filters without the page token, starting with {@code ?}. */
        public String queryString() {
            return "?principal=" + Formats.query(principal) + "&since=" + Formats.query(since) + "&until=" + Formats.query(until);
        }

        public boolean paged() {
            return !pageToken.isEmpty();
        }
    }

    /**
     * What the audit page shows.
     *
     * @param nextPageToken the token of the next page, when there is one
     * @param error         why the filter could not be applied
     */
    public record AuditView(PageFrame frame, SettingsTabs tabs, Filter filter, List<AuditEvent> events,
                            Optional<String> nextPageToken, Optional<String> error) {
        public AuditView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
            requireNonNull(filter, "filter is null");
            events = List.copyOf(events);
            requireNonNull(nextPageToken, "nextPageToken is null");
            requireNonNull(error, "error is null");
        }
    }
}
