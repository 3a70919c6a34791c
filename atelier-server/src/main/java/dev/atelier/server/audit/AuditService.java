package dev.atelier.server.audit;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.RequestObserver;
import dev.atelier.server.http.Route;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The audit log (docs/security.md, "Audit log"): hears every request and records the mutating
 * ones (any method but GET and HEAD) and every read of a secret's value (routes that require
 * {@link Permission#READ_SECRET_VALUE}), whatever their outcome; answers queries newest first.
 * Requests without valid credentials that were refused or failed (401s, failed logins) are not put
 * in the workspace they addressed (anyone could fill it): they are recorded server-wide (no
 * workspace), at most a few per client address and minute ({@link AnonymousDenials}); the rest are
 * counted as dropped. Thread-safe.
 *
 * <p>Events are written in batches by a background {@link AuditWriter}, flushed every
 * {@link #FLUSH_INTERVAL} and on {@link #close}: an event can be lost if the process dies within
 * that interval. Queries flush first, so they see every event recorded before them.
 */
public final class AuditService implements RequestObserver, AutoCloseable {
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    /** Principal recorded when a request carried no valid credentials. */
    public static final String ANONYMOUS = "anonymous";
    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MAX_TARGET_LENGTH = 1024;
    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(1);

    private final AuditStore store;
    private final AuditWriter writer;
    private final Clock clock;
    private final AnonymousDenials anonymousDenials = new AnonymousDenials();

    private AuditService(AuditStore store, AuditWriter writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
    }

    /** Starts the background writer; {@link #close} stops it. */
    public static AuditService start(AuditStore store, Clock clock) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        return new AuditService(store, AuditWriter.start(store, FLUSH_INTERVAL, QUEUE_CAPACITY, ENQUEUE_TIMEOUT), clock);
    }

    /** Whether requests to {@code route} are audited. */
    public static boolean isAudited(Route route) {
        return (route.method() != HandlerType.GET && route.method() != HandlerType.HEAD && route.permission() != Permission.SCORE)
                || route.permission() == Permission.READ_SECRET_VALUE;
    }

    @Override
    public void requestCompleted(Context ctx, Route route, Optional<String> workspace, Optional<Principal> principal,
                                 Outcome outcome, int status) {
        if (!isAudited(route)) {
            return;
        }
        try {
            String clientAddress = RequestContext.clientAddress(ctx);
            // Refused or failed without valid credentials (a 401, a failed login): anyone can send as many as they like.
            boolean anonymousDenial = outcome != Outcome.ALLOWED
                    && (principal.isEmpty() || principal.get().method() == Principal.Method.ANONYMOUS);
            if (anonymousDenial && !anonymousDenials.admit(clientAddress, clock.millis())) {
                return;
            }
            String target = ctx.path().length() > MAX_TARGET_LENGTH ? ctx.path().substring(0, MAX_TARGET_LENGTH) : ctx.path();
            record(principal.map(Principal::username).orElse(ANONYMOUS), anonymousDenial ? null : workspace.orElse(null),
                    route.method().name() + " " + route.path(), target, AuditOutcome.of(outcome), status, clientAddress);
        } catch (RuntimeException e) {
            LOG.error("Could not record the audit event of {} {}", route.method(), ctx.path(), e);
        }
    }

    /**
     * Records an action that did not come through an HTTP route, such as a job resolving a secret.
     *
     * @param workspace null for a server-wide action
     */
    public void record(String principal, String workspace, String action, String target, AuditOutcome outcome, int status,
                       String clientAddress) {
        writer.enqueue(new AuditEvent(UUID.randomUUID().toString(), clock.millis(), principal, workspace, action, target,
                outcome, status, clientAddress));
    }

    /** Anonymous denials not recorded because their client address or the server was over its limit. */
    public long droppedAnonymousDenials() {
        return anonymousDenials.dropped();
    }

    /** Deletes the events older than {@code retention}; returns how many. */
    public long deleteOlderThan(Duration retention) {
        writer.flush();
        return store.deleteEventsBefore(clock.millis() - retention.toMillis());
    }

    /** Events matching {@code query}, newest first; includes every event recorded before the call. */
    public AuditPage search(AuditQuery query) {
        writer.flush();
        return store.searchEvents(query);
    }

    /** Writes the queued events now; returns after they are committed. */
    public void flush() {
        writer.flush();
    }

    /** Stops the background writer after writing every queued event. */
    @Override
    public void close() {
        writer.close();
    }
}
