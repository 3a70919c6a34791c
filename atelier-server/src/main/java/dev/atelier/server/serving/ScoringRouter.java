package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Sends one scoring request to a deployment: checks the endpoint's auth, picks the deployment (the
 * {@code azureml-model-deployment} header, or the traffic split), enforces its payload, concurrency
 * and time limits, copies mirrored requests, and tells the observer. Errors are answered in the
 * protocol's own shape with a request id; a model error is logged with it, never sent as a trace.
 */
public final class ScoringRouter {
    static final String DEPLOYMENT_HEADER = "azureml-model-deployment";
    static final String REQUEST_ID_HEADER = "x-request-id";
    /** Names the model version that answered: {@code <name>/<version>}. */
    static final String MODEL_HEADER = "x-atelier-model";
    private static final Logger LOG = LoggerFactory.getLogger(ScoringRouter.class);
    private static final Route READ_PROBE = Route.workspace(HandlerType.GET, "/endpoints/{endpoint}", Permission.READ, ctx -> { });
    private static final Route TOKEN_PROBE = Route.workspace(HandlerType.POST, "/endpoints/{endpoint}/score", Permission.WRITE, ctx -> { });
    private static final String ID_PREFIX = Long.toHexString(System.nanoTime() & 0xffffff);
    private static final AtomicLong IDS = new AtomicLong();

    private final DeploymentHost host;
    private final Authorizer authorizer;
    private final ScoringObserver observer;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    public ScoringRouter(DeploymentHost host, Authorizer authorizer, ScoringObserver observer) {
        this.host = requireNonNull(host, "host is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    /**
     * The endpoint a request addresses, after checking the caller may score it. An endpoint that does
     * not exist answers as a key endpoint does to a missing or wrong key (401), so that a caller
     * without credentials cannot tell which endpoints exist; only a caller who may read the
     * workspace (with authentication on) learns that it does not exist (404).
     */
    LiveEndpoint authorize(Context ctx, String endpointName) {
        String workspace = RequestContext.workspace(ctx);
        Optional<LiveEndpoint> found = host.endpoint(workspace, endpointName);
        if (found.isEmpty()) {
            if (mayRead(ctx, workspace)) {
                throw AtelierException.notFound("Online endpoint '" + endpointName + "' does not exist in workspace '" + workspace + "'");
            }
            throw keyRefused(ctx, endpointName, bearerKey(ctx));
        }
        LiveEndpoint endpoint = found.get();
        if (endpoint.endpoint().authMode() == AuthMode.KEY) {
            String key = bearerKey(ctx);
            if (key == null || endpoint.keys().isEmpty() || !endpoint.keys().get().accepts(key)) {
                throw keyRefused(ctx, endpointName, key);
            }
        } else {
            authorizer.authorize(ctx, TOKEN_PROBE, Optional.of(workspace));
        }
        return endpoint;
    }

    private static String bearerKey(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    private static AtelierException keyRefused(Context ctx, String endpointName, String key) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"" + endpointName + "\"");
        return new AtelierException(ErrorCode.UNAUTHENTICATED, key == null
                ? "Endpoint '" + endpointName + "' needs a key: send 'Authorization: Bearer <key>' (atelier endpoint keys " + endpointName + ")"
                : "The key sent is not a key of endpoint '" + endpointName + "'");
    }

    /** Whether the request carries credentials (not a key) that may read the workspace; never with authentication off. */
    private boolean mayRead(Context ctx, String workspace) {
        try {
            return authorizer.authorize(ctx, READ_PROBE, Optional.of(workspace)).method() != Principal.Method.NONE;
        } catch (AtelierException e) {
            return false;
        }
    }

    /** The deployment that answers: the one the header names, or one picked by the traffic split. */
    LiveDeployment choose(Context ctx, LiveEndpoint endpoint) {
        String named = ctx.header(DEPLOYMENT_HEADER);
        if (named != null && !named.isBlank()) {
            LiveDeployment deployment = endpoint.live().get(named.strip());
            if (deployment == null) {
                throw AtelierException.notFound("Deployment '" + named.strip() + "' of endpoint '" + endpoint.endpoint().name()
                        + "' is not running" + (endpoint.live().isEmpty() ? "" : "; running: " + new java.util.TreeSet<>(endpoint.live().keySet())));
            }
            return deployment;
        }
        return endpoint.pick().orElseThrow(() -> new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "No deployment of endpoint '"
                + endpoint.endpoint().name() + "' is ready to take traffic" + (endpoint.live().isEmpty() ? " (none has started)" : "")));
    }

    /**
     * Scores one call on the chosen deployment within its limits.
     *
     * @throws ScoringFailure with the status and message to answer when it could not be answered
     */
    ScoringResponse score(Context ctx, LiveEndpoint endpoint, ScoringProtocol protocol, String modelName) {
        String requestId = requestId(ctx);
        ctx.header(REQUEST_ID_HEADER, requestId);
        LiveDeployment deployment = choose(ctx, endpoint);
        for (int attempt = 0; !deployment.enter(); attempt++) {
            // The generation was replaced between the pick and the call: pick from the new snapshot.
            endpoint = host.endpoint(endpoint.workspace(), endpoint.endpoint().name()).orElse(endpoint);
            deployment = choose(ctx, endpoint);
            if (attempt > 8) {
                throw new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The deployments of endpoint '"
                        + endpoint.endpoint().name() + "' are being replaced; retry");
            }
        }
        ctx.header(DEPLOYMENT_HEADER, deployment.name);
        ctx.header(MODEL_HEADER, deployment.spec.modelName() + "/" + deployment.spec.modelVersion());
        long started = System.nanoTime();
        long startedMillis = System.currentTimeMillis();
        ScoringCall call = null;
        ScoringResponse response = null;
        try {
            DeploymentSpec.RequestSettings limits = deployment.spec.requestSettings();
            long declared = ctx.contentLength();
            if (declared > limits.maxPayloadBytes()) {
                throw ScoringFailure.payloadTooLarge(declared, limits.maxPayloadBytes());
            }
            byte[] body = ctx.bodyAsBytes();
            if (body.length > limits.maxPayloadBytes()) {
                throw ScoringFailure.payloadTooLarge(body.length, limits.maxPayloadBytes());
            }
            call = new ScoringCall(protocol, modelName, body, Optional.ofNullable(ctx.contentType()).orElse(""), requestId);
            response = callWithin(deployment, call, limits);
            mirror(endpoint, call);
            return response;
        } catch (ScoringFailure | AtelierException e) {
            response = ScoringErrors.response(protocol, e, requestId);
            throw e;
        } finally {
            deployment.exit();
            if (call != null && response != null) {
                observer.scored(new ScoringObserver.ScoredRequest(endpoint.workspace(), endpoint.endpoint().name(), deployment.name,
                        startedMillis, System.nanoTime() - started, call, response, false, deployment.spec.dataCollector()));
            }
        }
    }

    private ScoringResponse callWithin(LiveDeployment deployment, ScoringCall call, DeploymentSpec.RequestSettings limits) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.requestTimeoutMs());
        try {
            if (!deployment.slots.tryAcquire(limits.requestTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw ScoringFailure.tooManyRequests(deployment.name, limits.maxConcurrentRequestsPerInstance() * deployment.spec.instanceCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ScoringFailure.timedOut(deployment.name, limits.requestTimeoutMs());
        }
        if (deployment.backend instanceof JvmBackend inProcess) {
            // A model in this JVM answers on the request's own thread: a hand-off to another thread
            // would cost more than most predictions. Its time is bounded by the model, not interrupted.
            try {
                return inProcess.score(call);
            } catch (AtelierException e) {
                if (e.httpStatus() < 500) {
                    throw e;
                }
                LOG.error("model error in deployment {} (request {})", deployment.name, call.requestId(), e);
                throw ScoringFailure.modelError(deployment.name, call.requestId(), e);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("model error in deployment {} (request {})", deployment.name, call.requestId(), e);
                throw ScoringFailure.modelError(deployment.name, call.requestId(), e);
            } finally {
                deployment.slots.release();
            }
        }
        Future<ScoringResponse> future = calls.submit(() -> deployment.backend.score(call));
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw ScoringFailure.timedOut(deployment.name, limits.requestTimeoutMs());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ScoringFailure.timedOut(deployment.name, limits.requestTimeoutMs());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AtelierException atelier && atelier.httpStatus() < 500) {
                throw atelier;
            }
            LOG.error("model error in deployment {} (request {})", deployment.name, call.requestId(), e.getCause());
            throw ScoringFailure.modelError(deployment.name, call.requestId(), e.getCause());
        } finally {
            deployment.slots.release();
        }
    }

    /** Sends a copy of the call to the mirror deployment, in the background; its answer is only observed. */
    private void mirror(LiveEndpoint endpoint, ScoringCall call) {
        if (!endpoint.mirrorThis()) {
            return;
        }
        LiveDeployment target = endpoint.mirror().orElseThrow();
        calls.execute(() -> {
            if (!target.enter()) {
                return;
            }
            long started = System.nanoTime();
            long startedMillis = System.currentTimeMillis();
            ScoringResponse response;
            try {
                response = target.backend.score(call);
            } catch (RuntimeException e) {
                response = ScoringErrors.response(call.protocol(), e, call.requestId());
            } finally {
                target.exit();
            }
            observer.scored(new ScoringObserver.ScoredRequest(endpoint.workspace(), endpoint.endpoint().name(), target.name, startedMillis,
                    System.nanoTime() - started, call, response, true, target.spec.dataCollector()));
        });
    }

    private static String requestId(Context ctx) {
        String sent = ctx.header(REQUEST_ID_HEADER);
        if (sent != null && !sent.isBlank() && sent.length() <= 128) {
            return sent.strip();
        }
        return ID_PREFIX + "-" + Long.toHexString(IDS.incrementAndGet());
    }

    public void close() {
        calls.shutdownNow();
    }
}
