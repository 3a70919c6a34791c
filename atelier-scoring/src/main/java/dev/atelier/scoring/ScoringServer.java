package dev.atelier.scoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.serving.protocol.OpenInference;
import dev.atelier.server.serving.protocol.ProtocolErrors;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringCodecs;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The scoring routes of an online endpoint, at the root of a small server on the JDK's own HTTP server,
 * for one model loaded in this JVM: Azure ML's {@code /score}, MLflow's {@code /invocations},
 * {@code /ping}, {@code /health}, {@code /version}, and the Open Inference Protocol v2 ({@code /v2},
 * {@code /v2/health/live|ready}, {@code /v2/models/<name>[/versions/<v>][/ready|/infer]}). Bodies are read,
 * checked and answered by the same codecs as the server's no-code deployments
 * ({@link ScoringCodecs}), errors in the same shapes ({@link ProtocolErrors}), so a package answers what
 * the endpoint answers. No authentication: whoever reaches the port may score (docs/model-packages.md).
 * Each request runs on its own virtual thread; thread-safe as the model runtime is.
 */
public final class ScoringServer implements AutoCloseable {
    static final String REQUEST_ID_HEADER = "x-request-id";
    private static final Pattern MODEL_PATH = Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?");
    private static final String ID_PREFIX = Long.toHexString(System.nanoTime() & 0xffffff);

    private final ModelRuntime runtime;
    private final ModelSignature signature;
    private final PackagedModel model;
    private final String serverVersion;
    private final long maxBodyBytes;
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer http;

    /**
     * Binds {@code address} (port 0 picks a free one) and starts answering.
     *
     * @param maxBodyBytes larger request bodies are refused with a 413, as a deployment's {@code max_payload_bytes}
     */
    public ScoringServer(ModelRuntime runtime, PackagedModel model, String serverVersion, InetSocketAddress address, long maxBodyBytes)
            throws IOException {
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.signature = runtime.signature();
        this.model = requireNonNull(model, "model is null");
        this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
        this.maxBodyBytes = maxBodyBytes;
        this.http = HttpServer.create(requireNonNull(address, "address is null"), 128);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            ScoringResponse response = switch (path) {
                case "/score" -> post(method, exchange, ScoringProtocol.AZURE_SCORE, "");
                case "/invocations" -> post(method, exchange, ScoringProtocol.MLFLOW_INVOCATIONS, "");
                case "/ping", "/health" -> get(method, new ScoringResponse(200, "application/json", new byte[] {'\n'}));
                case "/version" -> get(method, new ScoringResponse(200, "text/plain; charset=utf-8", bytes(serverVersion)));
                case "/v2/health/live" -> get(method, json("{\"live\":true}"));
                case "/v2/health/ready" -> get(method, json("{\"ready\":true}"));
                case "/v2" -> get(method, ScoringResponse.json(OpenInference.serverMetadata("atelier", serverVersion, List.of("binary_tensor_data"))));
                default -> modelRoute(method, path, exchange);
            };
            write(exchange, response);
        }
    }

    private ScoringResponse modelRoute(String method, String path, HttpExchange exchange) throws IOException {
        Matcher matcher = MODEL_PATH.matcher(path);
        if (!matcher.matches()) {
            return ProtocolErrors.response(ScoringProtocol.AZURE_SCORE, 404, ErrorCode.RESOURCE_DOES_NOT_EXIST.name(),
                    "No route " + path + ": this model package answers /score, /invocations and /v2/models/" + model.name() + "/infer",
                    Optional.empty());
        }
        String name = matcher.group(1);
        String version = matcher.group(2);
        String action = matcher.group(3);
        if (!name.equals(model.name()) || (version != null && !version.equals(model.version()))) {
            return ProtocolErrors.response(ScoringProtocol.OPEN_INFERENCE, 404, ErrorCode.RESOURCE_DOES_NOT_EXIST.name(),
                    "Unknown model '" + name + (version == null ? "" : "' version '" + version) + "': this package serves '"
                            + model.name() + "' version " + model.version(), Optional.empty());
        }
        if (action == null) {
            return get(method, ScoringResponse.json(OpenInference.modelMetadata(name, List.of(model.version()),
                    OpenInference.platform(runtime.flavor()), signature)));
        }
        if (action.equals("/ready")) {
            return get(method, json("{\"name\":\"" + name + "\",\"ready\":true}"));
        }
        return post(method, exchange, ScoringProtocol.OPEN_INFERENCE, name);
    }

    private ScoringResponse post(String method, HttpExchange exchange, ScoringProtocol protocol, String modelName) throws IOException {
        String requestId = requestId(exchange);
        exchange.getResponseHeaders().set(REQUEST_ID_HEADER, requestId);
        if (!method.equals("POST")) {
            return ProtocolErrors.response(protocol, 405, "METHOD_NOT_ALLOWED", method + " is not allowed here: send POST",
                    Optional.of(requestId));
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > maxBodyBytes) {
            return tooLarge(protocol, Long.parseLong(declared.strip()), requestId);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (body.length > maxBodyBytes) {
            return tooLarge(protocol, body.length, requestId);
        }
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        ScoringCall call = new ScoringCall(protocol, modelName, body, contentType, requestId);
        try {
            return ScoringCodecs.answer(call, signature, runtime::predict, Optional.of(model.version()));
        } catch (AtelierException e) {
            if (e.httpStatus() < 500) {
                return ProtocolErrors.refused(protocol, e, Optional.of(requestId));
            }
            return modelError(protocol, requestId, e);
        } catch (RuntimeException | LinkageError e) {
            return modelError(protocol, requestId, e);
        }
    }

    private ScoringResponse tooLarge(ScoringProtocol protocol, long size, String requestId) {
        return ProtocolErrors.response(protocol, 413, "RESOURCE_LIMIT_EXCEEDED", "The request body of " + size
                + " bytes is larger than this package's --max-payload-bytes (" + maxBodyBytes + ")", Optional.of(requestId));
    }

    private ScoringResponse modelError(ScoringProtocol protocol, String requestId, Throwable error) {
        System.err.println("model error on request " + requestId);
        error.printStackTrace();
        String message = ProtocolErrors.message(error);
        int newline = message.indexOf('\n');
        return ProtocolErrors.response(protocol, 500, "MODEL_ERROR", "The model failed on request " + requestId + ": "
                + (newline < 0 ? message : message.substring(0, newline)) + " (the package's log has the details)", Optional.of(requestId));
    }

    private static ScoringResponse get(String method, ScoringResponse answer) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return answer;
        }
        return ProtocolErrors.response(ScoringProtocol.AZURE_SCORE, 405, "METHOD_NOT_ALLOWED", method + " is not allowed here: send GET",
                Optional.empty());
    }

    private String requestId(HttpExchange exchange) {
        String sent = exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER);
        if (sent != null && !sent.isBlank() && sent.length() <= 128) {
            return sent.strip();
        }
        return ID_PREFIX + "-" + Long.toHexString(ids.incrementAndGet());
    }

    private static void write(HttpExchange exchange, ScoringResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.contentType().equals(ScoringCodecs.BINARY) && exchange.getRequestURI().getPath().endsWith("/infer")) {
            // The binary tensor extension: the JSON part's length, then the raw output tensors.
            exchange.getResponseHeaders().set("Inference-Header-Content-Length",
                    Integer.toString(OpenInference.jsonHeaderLength(response.body())));
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static ScoringResponse json(String body) {
        return ScoringResponse.json(bytes(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops answering (calls running get a second to end) and releases the model. */
    @Override
    public void close() {
        http.stop(1);
        executor.shutdownNow();
        runtime.close();
    }
}
