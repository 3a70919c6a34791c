package dev.atelier.server.http;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Refuses what a web page could make a browser send to this server (docs/security.md,
 * "Browser-origin protection"), before any route runs, on every path (API, scoring, portal, static):
 * <ul>
 *   <li>a {@code Host} not on the {@link HostAllowlist} (DNS rebinding) → 403;</li>
 *   <li>a state-changing request (any method but GET, HEAD, OPTIONS) whose {@code Origin} (or, without it,
 *       {@code Referer}) is neither the server's own origin nor an allowed origin → 403. {@code Origin: null}
 *       is foreign; requests with neither header (curl, MLflow clients, the SDK) pass;</li>
 *   <li>a CORS preflight is answered (204 with {@code Access-Control-Allow-*}) only for allowed origins,
 *       others get 403; answers to allowed cross-origin requests carry {@code Access-Control-Allow-Origin}.</li>
 * </ul>
 * The server's own origin is the scheme ({@code https} also when {@code X-Forwarded-Proto} says so), host
 * and port the request was sent to. No credentials are allowed cross-origin ({@code Access-Control-Allow-Credentials}
 * is never sent): an allowed page calls with an API token. Immutable and thread-safe.
 */
public final class BrowserGuard {
    public static final String ALLOWED_HOSTS_FLAG = "--allowed-hosts";
    public static final String CORS_FLAG = "--cors-allowed-origins";
    private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";

    private final HostAllowlist hosts;
    private final Set<String> origins;

    /**
     * @param hosts   the Host values answered
     * @param origins origins ({@code scheme://host[:port]}) allowed to change things and to read answers
     *                cross-origin, besides the server's own
     * @throws IllegalArgumentException naming an entry of {@code origins} that is not an origin
     */
    public BrowserGuard(HostAllowlist hosts, List<String> origins) {
        this.hosts = requireNonNull(hosts, "hosts is null");
        this.origins = origins.stream().map(origin -> normalizeOrigin(origin).orElseThrow(() -> new IllegalArgumentException(
                "Not an origin (scheme://host[:port]) in " + CORS_FLAG + ": '" + origin + "'"))).collect(Collectors.toUnmodifiableSet());
    }

    /** Loopback names and the server's own origin only. */
    public static BrowserGuard loopbackOnly() {
        return new BrowserGuard(HostAllowlist.loopback(), List.of());
    }

    /** The Host values answered. */
    public HostAllowlist hosts() {
        return hosts;
    }

    /**
     * Checks the request and answers a preflight itself.
     *
     * @return true when the request was answered here (a preflight) and no route should run
     * @throws AtelierException PERMISSION_DENIED naming the flag that would allow the request
     */
    boolean check(Context ctx) {
        String host = ctx.header("Host");
        if (!hosts.allows(host)) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Host '" + host + "' is not allowed: this server answers "
                    + "only the names it was told about (a web page could otherwise reach it by DNS rebinding). "
                    + "Start it with " + ALLOWED_HOSTS_FLAG + " " + hostName(host) + " to allow this name");
        }
        Optional<String> origin = Optional.ofNullable(ctx.header("Origin"));
        boolean preflight = ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
        if (preflight) {
            String sent = origin.orElse("");
            if (!allowedCrossOrigin(sent)) {
                throw foreign("Cross-origin requests from '" + sent + "' are not allowed");
            }
            allowCrossOrigin(ctx, sent);
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            String requested = ctx.header("Access-Control-Request-Headers");
            if (requested != null && !requested.isBlank()) {
                ctx.header("Access-Control-Allow-Headers", requested);
            }
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            return true;
        }
        if (origin.isPresent() && allowedCrossOrigin(origin.get())) {
            allowCrossOrigin(ctx, origin.get());
        }
        if (changes(ctx.method())) {
            String sender = origin.orElseGet(() -> Optional.ofNullable(ctx.header("Referer")).map(BrowserGuard::refererOrigin).orElse(null));
            if (sender != null && !sameOrigin(ctx, sender) && !allowedCrossOrigin(sender)) {
                throw foreign(ctx.method() + " " + ctx.path() + " from a page of '" + sender + "' is refused: pages of other "
                        + "origins may not change anything here");
            }
        }
        return false;
    }

    /**
     * Checks a WebSocket upgrade: a socket can change anything (a notebook's kernel runs code), and a browser sends
     * the user's cookies with the upgrade from any page, so its {@code Origin} must be the server's own or an allowed
     * one, as for a state-changing request. Clients that send no {@code Origin} (not browsers) pass.
     *
     * @throws AtelierException PERMISSION_DENIED for a foreign host or origin
     */
    void checkUpgrade(Context ctx) {
        check(ctx);
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(ctx, origin) && !allowedCrossOrigin(origin)) {
            throw foreign("A WebSocket to " + ctx.path() + " from a page of '" + origin + "' is refused: pages of other "
                    + "origins may not open sockets here");
        }
    }

    private boolean allowedCrossOrigin(String origin) {
        return normalizeOrigin(origin).map(origins::contains).orElse(false);
    }

    private static void allowCrossOrigin(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
    }

    /** Whether {@code origin} is the scheme, host and port this request was sent to. */
    private static boolean sameOrigin(Context ctx, String origin) {
        String host = ctx.header("Host");
        if (host == null) {
            return false;
        }
        String scheme = SecurityHeaders.overTls(ctx) ? "https" : "http";
        Optional<String> own = normalizeOrigin(scheme + "://" + host.strip());
        return own.isPresent() && own.equals(normalizeOrigin(origin));
    }

    private static boolean changes(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    private static AtelierException foreign(String message) {
        return new AtelierException(ErrorCode.PERMISSION_DENIED, message + ". Start the server with " + CORS_FLAG
                + " <origin> to allow a trusted origin.");
    }

    private static String hostName(String host) {
        return host.startsWith("[") ? host.substring(0, Math.max(1, host.indexOf(']') + 1)) : host.split(":")[0];
    }

    private static String refererOrigin(String referer) {
        try {
            URI uri = new URI(referer.strip());
            return uri.getScheme() == null || uri.getRawAuthority() == null ? "null" : uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return "null";
        }
    }

    /** {@code scheme://host[:port]} in lower case without a default port; empty for anything else ({@code null}, paths). */
    static Optional<String> normalizeOrigin(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
