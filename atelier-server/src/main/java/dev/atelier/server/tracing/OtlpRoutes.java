package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * OTLP/HTTP's trace export, {@code POST /v1/traces} (and {@code /w/{workspace}/v1/traces}), as MLflow 3's server
 * serves it (mlflow/server/otel_api.py) for MLflow's own span exporter and any OpenTelemetry SDK: the spans of an
 * ExportTraceServiceRequest go to the experiment named by the header {@code x-mlflow-experiment-id} and are kept in the
 * database ({@link TraceService#logSpans}). The body is binary protobuf ({@code application/x-protobuf}, answered with
 * an empty ExportTraceServiceResponse in protobuf) or OTLP's JSON ({@code application/json}, answered {@code {}}),
 * optionally gzip- or deflate-compressed ({@code Content-Encoding}). Thread-safe (stateless).
 */
public final class OtlpRoutes implements RouteTable {
    /** The header naming the experiment, as MLflow's exporter sends it. */
    public static final String EXPERIMENT_HEADER = "x-mlflow-experiment-id";
    /** The largest export taken, after decompression. */
    public static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final String PROTOBUF = "application/x-protobuf";

    private final TraceService traces;

    public OtlpRoutes(TraceService traces) {
        this.traces = requireNonNull(traces, "traces is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.workspace(POST, "/v1/traces", Permission.WRITE, this::export).withBody(RequestBody.OTHER));
    }

    private void export(Context ctx) {
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals(PROTOBUF) && !type.equals("application/json")) {
            throw new AtelierException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Invalid Content-Type: '" + (header == null ? "" : header.strip())
                    + "'. Expected: application/x-protobuf or application/json");
        }
        String experimentId = ctx.header(EXPERIMENT_HEADER);
        if (experimentId == null || experimentId.isBlank()) {
            throw AtelierException.invalidParameter("Missing header '" + EXPERIMENT_HEADER + "': the experiment to log the spans to");
        }
        byte[] body = body(ctx);
        List<OtlpSpan> spans = type.equals(PROTOBUF) ? OtlpSpans.fromProtobuf(body) : OtlpSpans.fromJson(body);
        traces.logSpans(workspace(ctx), experimentId.strip(), spans);
        if (type.equals(PROTOBUF)) {
            Responses.raw(ctx, 200, PROTOBUF, new byte[0]);
        } else {
            Responses.empty(ctx);
        }
    }

    /** The body, decompressed as its Content-Encoding says, at most {@link #MAX_BODY_BYTES}. */
    private static byte[] body(Context ctx) {
        String encoding = ctx.header("Content-Encoding");
        encoding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
        try (InputStream raw = ctx.bodyInputStream()) {
            InputStream in = switch (encoding) {
                case "identity", "" -> raw;
                case "gzip" -> new GZIPInputStream(raw);
                case "deflate" -> new InflaterInputStream(raw);
                default -> throw AtelierException.invalidParameter("Unsupported Content-Encoding: '" + encoding
                        + "'. Expected gzip, deflate or none");
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                if (out.size() > MAX_BODY_BYTES) {
                    throw new AtelierException(ErrorCode.PAYLOAD_TOO_LARGE, "The OTLP export is over " + MAX_BODY_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (java.util.zip.ZipException e) {
            throw AtelierException.invalidParameter("The body is not " + encoding + "-compressed: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
