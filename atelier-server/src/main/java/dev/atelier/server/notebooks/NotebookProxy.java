package dev.atelier.server.notebooks;

import dev.atelier.server.auth.SessionService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.http.WebSocketRoute;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The proxy in front of every notebook server: {@code /w/<workspace>/notebooks/<name>/**} (and {@code /notebooks/...}
 * for the default workspace), every HTTP method and WebSocket (kernel channels, terminals), forwarded to where the
 * instance's Jupyter answers once the HTTP layer has authenticated the caller (session or token, WRITE in the
 * workspace) and the service has checked that the caller owns the instance. Each forwarded call carries the
 * instance's Jupyter token in {@code Authorization}; the caller's own {@code Authorization}, Atelier's session cookie,
 * {@code Origin}, {@code Referer} and hop-by-hop headers are not forwarded. Bodies are streamed both ways; WebSocket
 * text and binary frames and closes pass both ways. Thread-safe.
 */
public final class NotebookProxy implements RouteTable {
    static final String PATH = "/notebooks/{name}";
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect", "authorization",
            "cookie", "origin", "referer", "http2-settings");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length", ":status");

    private final NotebookService notebooks;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, WebSocket> upstreams = new ConcurrentHashMap<>();

    public NotebookProxy(NotebookService notebooks) {
        this.notebooks = requireNonNull(notebooks, "notebooks is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE,
                HandlerType.HEAD)) {
            routes.add(Route.workspace(method, PATH, Permission.WRITE, this::forward).withBody(RequestBody.OTHER));
            routes.add(Route.workspace(method, PATH + "/<path>", Permission.WRITE, this::forward).withBody(RequestBody.OTHER));
        }
        return routes;
    }

    @Override
    public List<WebSocketRoute> webSockets() {
        return List.of(new WebSocketRoute(PATH + "/<path>", Permission.WRITE, true, this::socket));
    }

    private void forward(Context ctx) throws IOException, InterruptedException {
        NotebookService.Target target = notebooks.open(RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx));
        String query = ctx.queryString();
        URI uri = URI.create(target.base() + rest(ctx.req().getRequestURI(), RequestContext.workspace(ctx), ctx.pathParam("name"))
                + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(ctx.req().getHeaders(name))) {
                    request.header(name, value);
                }
            }
        }
        String cookies = withoutSession(ctx.header("Cookie"));
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies);
        }
        request.header("Authorization", "token " + target.token());
        long length = ctx.req().getContentLengthLong();
        boolean body = length > 0 || ctx.header("Transfer-Encoding") != null;
        InputStream input = ctx.req().getInputStream();
        HttpRequest.BodyPublisher publisher = !body ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> input), length)
                : HttpRequest.BodyPublishers.ofInputStream(() -> input);
        request.method(ctx.method().name(), publisher);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        ctx.status(response.statusCode());
        // Jupyter's pages need their own content policy (inline scripts), not the portal's.
        ctx.res().setHeader("Content-Security-Policy", null);
        ctx.res().setHeader("X-Frame-Options", null);
        response.headers().map().forEach((name, values) -> {
            if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                ctx.res().setHeader(name, null);
                values.forEach(value -> ctx.res().addHeader(name, value));
            }
        });
        response.headers().firstValueAsLong("Content-Length").ifPresent(ctx.res()::setContentLengthLong);
        Responses.markWritten(ctx);
        try (InputStream in = response.body()) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[16384];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                if (in.available() == 0) {
                    out.flush(); // a streamed answer (events, long polls) reaches the browser as Jupyter sends it
                }
            }
        }
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            NotebookService.Target target;
            try {
                target = notebooks.open(RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx));
            } catch (RuntimeException e) {
                ctx.closeSession(1008, e.getMessage() == null ? "refused" : e.getMessage());
                return;
            }
            ctx.session.setIdleTimeout(Duration.ofHours(24));
            String query = ctx.queryString();
            String base = target.base().toString().replaceFirst("^http", "ws");
            URI uri = URI.create(base + ctx.pathParam("path") + (query == null ? "" : "?" + query));
            WebSocket upstream = http.newWebSocketBuilder().header("Authorization", "token " + target.token())
                    .buildAsync(uri, new Downstream(ctx)).join();
            upstreams.put(ctx.sessionId(), upstream);
        });
        ws.onMessage(ctx -> {
            WebSocket upstream = upstreams.get(ctx.sessionId());
            if (upstream != null) {
                upstream.sendText(ctx.message(), true).join();
            }
        });
        ws.onBinaryMessage(ctx -> {
            WebSocket upstream = upstreams.get(ctx.sessionId());
            if (upstream != null) {
                ByteBuffer data = ctx.data();
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                upstream.sendBinary(copy, true).join();
            }
        });
        ws.onClose(ctx -> {
            WebSocket upstream = upstreams.remove(ctx.sessionId());
            if (upstream != null && !upstream.isOutputClosed()) {
                upstream.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            }
        });
        ws.onError(ctx -> {
            WebSocket upstream = upstreams.remove(ctx.sessionId());
            if (upstream != null) {
                upstream.abort();
            }
        });
    }

    /** Frames from Jupyter to the caller, whole messages at a time. */
    private static final class Downstream implements WebSocket.Listener {
        private final WsContext caller;
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        Downstream(WsContext caller) {
            this.caller = caller;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                caller.send(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                caller.send(ByteBuffer.wrap(binary.toByteArray()));
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (caller.session.isOpen()) {
                caller.closeSession(statusCode == WebSocket.NORMAL_CLOSURE || statusCode >= 3000 ? statusCode : 1000, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (caller.session.isOpen()) {
                caller.closeSession(1011, "notebook server connection failed");
            }
        }
    }

    /** The raw path after {@code [/w/<workspace>]/notebooks/<name>/} of a request URI, still percent-encoded. */
    static String rest(String requestUri, String workspace, String name) {
        String prefixed = "/w/" + workspace + "/notebooks/" + name;
        String plain = "/notebooks/" + name;
        String rest = requestUri.startsWith(prefixed) ? requestUri.substring(prefixed.length())
                : requestUri.startsWith(plain) ? requestUri.substring(plain.length()) : "";
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    /** The {@code Cookie} header without Atelier's session cookie (Jupyter's own cookies pass). */
    static String withoutSession(String header) {
        if (header == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String cookie : header.split(";")) {
            String trimmed = cookie.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith(SessionService.COOKIE + "=")) {
                kept.add(trimmed);
            }
        }
        return String.join("; ", kept);
    }
}
