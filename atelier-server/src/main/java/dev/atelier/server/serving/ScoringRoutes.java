package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;
import dev.atelier.server.config.Version;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.serving.protocol.OpenInference;
import dev.atelier.server.serving.protocol.ScoringCodecs;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The scoring routes of every endpoint, under {@code /endpoints/{endpoint}} (and
 * {@code /w/{workspace}/endpoints/{endpoint}}): Azure ML's {@code /score}, MLflow's
 * {@code /invocations}, {@code /ping}, {@code /health} and {@code /version}, and the Open Inference
 * Protocol v2. Health routes are public (probes send no key); the others check the endpoint's auth.
 */
public final class ScoringRoutes implements RouteTable {
    static final String BASE = "/endpoints/{endpoint}";
    private static final byte[] NEWLINE = {'\n'};

    private final ScoringRouter router;
    private final DeploymentHost host;

    public ScoringRoutes(ScoringRouter router, DeploymentHost host) {
        this.router = requireNonNull(router, "router is null");
        this.host = requireNonNull(host, "host is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, BASE + "/score", Permission.SCORE, ctx -> score(ctx, ScoringProtocol.AZURE_SCORE, "")).withBody(RequestBody.OTHER),
                Route.workspace(POST, BASE + "/invocations", Permission.SCORE, ctx -> score(ctx, ScoringProtocol.MLFLOW_INVOCATIONS, "")).withBody(RequestBody.OTHER),
                Route.workspace(POST, BASE + "/v2/models/{model}/infer", Permission.SCORE, this::infer).withBody(RequestBody.OTHER),
                Route.workspace(POST, BASE + "/v2/models/{model}/versions/{version}/infer", Permission.SCORE, this::infer).withBody(RequestBody.OTHER),
                Route.workspace(GET, BASE + "/v2", Permission.SCORE, this::serverMetadata),
                Route.workspace(GET, BASE + "/v2/models/{model}", Permission.SCORE, this::modelMetadata),
                Route.workspace(GET, BASE + "/v2/models/{model}/ready", Permission.SCORE, this::modelReady),
                Route.workspace(GET, BASE + "/ping", Permission.PUBLIC, this::ping),
                Route.workspace(GET, BASE + "/health", Permission.PUBLIC, this::ping),
                Route.workspace(GET, BASE + "/version", Permission.PUBLIC, this::version),
                Route.workspace(GET, BASE + "/v2/health/live", Permission.PUBLIC, this::live),
                Route.workspace(GET, BASE + "/v2/health/ready", Permission.PUBLIC, this::ready));
    }

    private void score(Context ctx, ScoringProtocol protocol, String model) {
        ScoringResponse response;
        try {
            LiveEndpoint endpoint = router.authorize(ctx, ctx.pathParam("endpoint"));
            if (protocol == ScoringProtocol.OPEN_INFERENCE) {
                requireModel(endpoint, model, chosenOrAny(ctx, endpoint));
            }
            response = router.score(ctx, endpoint, protocol, model);
        } catch (ScoringFailure | AtelierException e) {
            response = ScoringErrors.response(protocol, e, ctx.res().getHeader(ScoringRouter.REQUEST_ID_HEADER));
        }
        write(ctx, response);
    }

    private void infer(Context ctx) {
        score(ctx, ScoringProtocol.OPEN_INFERENCE, ctx.pathParam("model"));
    }

    /** {@code GET <base>/v2}: the server metadata of the Open Inference Protocol. */
    private void serverMetadata(Context ctx) {
        answerOpenInference(ctx, () -> {
            router.authorize(ctx, ctx.pathParam("endpoint"));
            return ScoringResponse.json(OpenInference.serverMetadata("atelier", Version.current(), List.of("binary_tensor_data")));
        });
    }

    /** {@code GET <base>/v2/models/<m>}: the model's name, versions, platform, inputs and outputs. */
    private void modelMetadata(Context ctx) {
        answerOpenInference(ctx, () -> {
            LiveEndpoint endpoint = router.authorize(ctx, ctx.pathParam("endpoint"));
            LiveDeployment deployment = chosenOrAny(ctx, endpoint);
            requireModel(endpoint, ctx.pathParam("model"), deployment);
            String platform = deployment.backend instanceof JvmBackend jvm ? jvm.platform() : "python_score";
            return ScoringResponse.json(OpenInference.modelMetadata(ctx.pathParam("model"), List.of(deployment.spec.modelVersion()),
                    platform, deployment.backend.signature().orElse(new dev.atelier.api.mlmodel.ModelSignature(
                            Optional.empty(), Optional.empty(), Optional.empty()))));
        });
    }

    private void modelReady(Context ctx) {
        answerOpenInference(ctx, () -> {
            LiveEndpoint endpoint = router.authorize(ctx, ctx.pathParam("endpoint"));
            LiveDeployment deployment = chosenOrAny(ctx, endpoint);
            requireModel(endpoint, ctx.pathParam("model"), deployment);
            boolean ready = deployment.backend.ready();
            return new ScoringResponse(ready ? 200 : 400, "application/json",
                    ("{\"name\":\"" + ctx.pathParam("model") + "\",\"ready\":" + ready + "}").getBytes(StandardCharsets.UTF_8));
        });
    }

    /** MLflow's {@code /ping} and {@code /health}: 200 when a deployment can take traffic, 503 otherwise. */
    private void ping(Context ctx) {
        boolean ready = host.endpoint(RequestContext.workspace(ctx), ctx.pathParam("endpoint")).flatMap(LiveEndpoint::pick).isPresent();
        write(ctx, new ScoringResponse(ready ? 200 : 503, "application/json", NEWLINE));
    }

    private void version(Context ctx) {
        write(ctx, new ScoringResponse(200, "text/plain; charset=utf-8", Version.current().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The protocol's liveness is the server's: always 200, for a known endpoint or not, so that this
     * probe (which takes no key) does not tell which endpoints exist.
     */
    private void live(Context ctx) {
        write(ctx, new ScoringResponse(200, "application/json", "{\"live\":true}".getBytes(StandardCharsets.UTF_8)));
    }

    /** The protocol's readiness: 200 when a deployment can take traffic, 400 (a 4xx, as the spec says) otherwise. */
    private void ready(Context ctx) {
        boolean ready = host.endpoint(RequestContext.workspace(ctx), ctx.pathParam("endpoint")).flatMap(LiveEndpoint::pick).isPresent();
        write(ctx, new ScoringResponse(ready ? 200 : 400, "application/json", ("{\"ready\":" + ready + "}").getBytes(StandardCharsets.UTF_8)));
    }

    private LiveDeployment chosenOrAny(Context ctx, LiveEndpoint endpoint) {
        return router.choose(ctx, endpoint);
    }

    /** The model name of an Open Inference path is the endpoint's name or the registered model's name. */
    private static void requireModel(LiveEndpoint endpoint, String model, LiveDeployment deployment) {
        if (!model.equals(endpoint.endpoint().name()) && !model.equals(deployment.spec.modelName())) {
            throw AtelierException.notFound("Unknown model '" + model + "': endpoint '" + endpoint.endpoint().name() + "' serves '"
                    + deployment.spec.modelName() + "' (use that name or the endpoint's)");
        }
    }

    private void answerOpenInference(Context ctx, java.util.function.Supplier<ScoringResponse> answer) {
        ScoringResponse response;
        try {
            response = answer.get();
        } catch (ScoringFailure | AtelierException e) {
            response = ScoringErrors.response(ScoringProtocol.OPEN_INFERENCE, e, null);
        }
        write(ctx, response);
    }

    private static void write(Context ctx, ScoringResponse response) {
        if (response.contentType().equals(ScoringCodecs.BINARY) && ctx.path().endsWith("/infer")) {
            // The binary tensor extension: the JSON part's length, then the raw output tensors.
            ctx.header("Inference-Header-Content-Length", Integer.toString(OpenInference.jsonHeaderLength(response.body())));
        }
        Responses.raw(ctx, response.status(), response.contentType(), response.body());
    }
}
