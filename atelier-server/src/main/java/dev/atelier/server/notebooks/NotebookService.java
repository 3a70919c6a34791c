package dev.atelier.server.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.workspace.WorkspaceParticipant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Compute instances (docs/notebooks.md): their rules and lifecycle. Each running instance is one service workload on
 * its compute target ({@link Workloads#serve}, {@link NotebookServer}); this service remembers where it answers and
 * the Jupyter token only Atelier knows, which the proxy adds to every forwarded call. Only the owner opens an
 * instance; the owner or a holder of {@code MANAGE_COMPUTE} in the workspace starts, stops and deletes it. {@link #tick}
 * stops idle instances (Jupyter's own {@code last_activity}) and applies start/stop schedules, on the injected clock.
 * <p>
 * Several servers may share the database: the server that starts an instance runs it under a lease its checks renew
 * ({@link InstanceStore#claim}); it alone proxies to it and watches it for idleness. Any server may stop or delete it:
 * the runner's next check finds it stopped and ends its workload. An instance whose runner's lease ran out (the server
 * died) is marked Stopped by whichever server checks first, and each schedule fire is applied by one server only
 * ({@link InstanceStore#claimSchedules}). Thread-safe.
 */
public final class NotebookService implements AutoCloseable, WorkspaceParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(NotebookService.class);
    private static final String NAME_PATTERN = "[a-zA-Z][a-zA-Z0-9-]{2,23}";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOG_TAIL = 20;

    private final InstanceStore store;
    private final ComputeService computes;
    private final Workloads workloads;
    private final Authorizer authorizer;
    private final InstanceCredentials credentials;
    private final OwnerFiles ownerFiles;
    private final Supplier<String> hostUrl;
    private final Supplier<String> remoteUrl;
    private volatile Thread checks;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final String serverId;
    private final Duration lease;

    /**
     * @param filesRoot where the owners' files folders are ({@code <root>/<workspace>/<user>}): on the server's host,
     *                  outside the data directory (workloads never see that)
     * @param hostUrl   the URL workloads on the server's host reach this server at (MLflow's tracking URI)
     * @param remoteUrl the URL workloads elsewhere (pods) reach it at
     * @param serverId  this server among those sharing the database ({@code config.ServerId})
     * @param lease     how long a started instance is vouched for without a check of this server renewing it: longer
     *                  than the checks' period
     */
    public NotebookService(InstanceStore store, ComputeService computes, Workloads workloads, Authorizer authorizer,
                           InstanceCredentials credentials, Path filesRoot, Supplier<String> hostUrl, Supplier<String> remoteUrl,
                           Clock clock, String serverId, Duration lease) {
        this.store = requireNonNull(store, "store is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.ownerFiles = new OwnerFiles(requireNonNull(filesRoot, "filesRoot is null"));
        this.hostUrl = requireNonNull(hostUrl, "hostUrl is null");
        this.remoteUrl = requireNonNull(remoteUrl, "remoteUrl is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.serverId = requireNonNull(serverId, "serverId is null");
        this.lease = requireNonNull(lease, "lease is null");
        reapLapsed(clock.millis());
    }

    /**
     * Marks Stopped the instances whose server stopped renewing their lease (it died, or stopped without stopping
     * them), deleting what the platform kept of their server (a Kubernetes pod: a started server needs its token).
     */
    private void reapLapsed(long now) {
        for (ComputeInstance instance : store.lapsed(now)) {
            if (!store.reap(instance.workspace(), instance.name(), now, "stopped: the server that ran it stopped")) {
                continue; // renewed or stopped meanwhile, or another server reaped it first
            }
            LOG.info("Compute instance {}/{} lost its server; marked Stopped", instance.workspace(), instance.name());
            try {
                workloads.deleteService(computes.get(instance.workspace(), instance.compute()),
                        NotebookServer.workloadId(instance.workspace(), instance.name()));
            } catch (RuntimeException e) {
                LOG.warn("Could not delete the server of compute instance {}/{}: {}", instance.workspace(), instance.name(), e.toString());
            }
            credentials.revoke(instance.workspace(), instance.owner(), instance.name());
        }
    }

    /** What the proxy needs to forward a call: where Jupyter answers (its base URL path included) and its token. */
    public record Target(URI base, String token) {
    }

    /**
     * Creates the instance and starts it; it is {@code Creating} until its server answers.
     *
     * @throws AtelierException 400 naming a bad field; 403 when {@code create_on_behalf_of} names another user and the
     *                          caller lacks MANAGE_COMPUTE; 404 for an unknown compute target; 409 for a taken name
     */
    public ComputeInstance create(String workspace, Principal caller, ApiRequest request) {
        String type = request.optionalString("type").orElse("computeinstance");
        if (!type.equals("computeinstance")) {
            throw AtelierException.invalidParameter("type must be computeinstance, was '" + type + "'");
        }
        String name = request.requiredString("name");
        if (!name.matches(NAME_PATTERN)) {
            throw AtelierException.invalidParameter("name '" + name + "' must be 3 to 24 letters, digits or '-', starting with a letter");
        }
        String owner = request.optionalString("create_on_behalf_of").filter(text -> !text.isBlank()).orElse(caller.username());
        if (!owner.equals(caller.username()) && !authorizer.permits(caller, Permission.MANAGE_COMPUTE, Optional.of(workspace))) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "create_on_behalf_of another user needs MANAGE_COMPUTE "
                    + "(Owner, Contributor or Compute Operator) in workspace '" + workspace + "'");
        }
        String compute = request.optionalString("compute").filter(text -> !text.isBlank()).orElse("local");
        ComputeTarget target = computes.get(workspace, compute);
        InstanceDocument document = InstanceDocuments.parse(request);
        if (computes.list(workspace).stream().anyMatch(existing -> existing.name().equals(name))) {
            throw AtelierException.alreadyExists("A compute target named '" + name + "' exists in workspace '" + workspace + "'");
        }
        long now = clock.millis();
        ComputeInstance instance = new ComputeInstance(workspace, name, owner, target.name(), document, InstanceState.CREATING,
                Optional.empty(), now, caller.username(), now, now);
        if (!store.create(instance)) {
            throw AtelierException.alreadyExists("Compute instance '" + name + "' already exists in workspace '" + workspace + "'");
        }
        launch(instance, true);
        return get(workspace, name);
    }

    /** @throws AtelierException 404 when it does not exist */
    public ComputeInstance get(String workspace, String name) {
        return store.get(workspace, name).orElseThrow(() -> AtelierException.notFound("Compute instance '" + name
                + "' does not exist in workspace '" + workspace + "'"));
    }

    /** The caller's instances; every instance for a holder of MANAGE_COMPUTE. */
    public List<ComputeInstance> list(String workspace, Principal caller) {
        boolean all = authorizer.permits(caller, Permission.MANAGE_COMPUTE, Optional.of(workspace));
        return store.list(workspace).stream().filter(instance -> all || instance.owner().equals(caller.username())).toList();
    }

    /** Whether the workspace has an instance of that name (the CLI's delete picks instance or target by it). */
    public boolean exists(String workspace, String name) {
        return store.get(workspace, name).isPresent();
    }

    /** @throws AtelierException 409 unless it is Stopped or Failed */
    public ComputeInstance start(String workspace, String name, Principal caller) {
        ComputeInstance instance = managed(workspace, name, caller);
        if (instance.state() != InstanceState.STOPPED && instance.state() != InstanceState.FAILED) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Compute instance '" + name + "' is "
                    + instance.state().wireName() + "; only a Stopped or Failed instance starts");
        }
        launch(instance, false);
        return get(workspace, name);
    }

    /** Stops its server (its files stay); a stopped instance stays stopped. */
    public ComputeInstance stop(String workspace, String name, Principal caller) {
        ComputeInstance instance = managed(workspace, name, caller);
        halt(instance, InstanceState.STOPPED, Optional.empty());
        return get(workspace, name);
    }

    public ComputeInstance restart(String workspace, String name, Principal caller) {
        ComputeInstance instance = managed(workspace, name, caller);
        halt(instance, InstanceState.STOPPED, Optional.empty());
        launch(get(workspace, name), false);
        return get(workspace, name);
    }

    /** Stops it, revokes its token and forgets it; the owner's files stay. */
    public void delete(String workspace, String name, Principal caller) {
        ComputeInstance instance = managed(workspace, name, caller);
        halt(instance, InstanceState.STOPPED, Optional.empty());
        credentials.revoke(workspace, instance.owner(), name);
        store.delete(workspace, name);
    }

    /**
     * Where the proxy forwards the owner's calls.
     *
     * @throws AtelierException 404 when it does not exist; 403 for anyone but its owner; 409 when it is not Running
     */
    public Target open(String workspace, String name, Principal caller) {
        ComputeInstance instance = get(workspace, name);
        if (!instance.owner().equals(caller.username())) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Only its owner opens compute instance '" + name + "'");
        }
        Live running = live.get(key(workspace, name));
        if (running == null && instance.state() == InstanceState.RUNNING) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Compute instance '" + name + "' runs on another Atelier server ("
                    + store.runner(workspace, name).orElse("unknown") + "); open it through that server");
        }
        if (running == null || !running.address.isDone() || instance.state() != InstanceState.RUNNING) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Compute instance '" + name + "' is " + instance.state().wireName()
                    + ", not Running; start it first");
        }
        return new Target(running.address.join(), running.jupyterToken);
    }

    /** The owners' files folders, which outlive their instances. */
    public OwnerFiles ownerFiles() {
        return ownerFiles;
    }

    /** Minutes left before idle shutdown of a running instance, when it has an idle time. */
    public Optional<Long> idleMinutesLeft(ComputeInstance instance) {
        if (instance.state() != InstanceState.RUNNING || instance.document().idleMinutes() == 0) {
            return Optional.empty();
        }
        long left = instance.lastActivity() + Duration.ofMinutes(instance.document().idleMinutes()).toMillis() - clock.millis();
        return Optional.of(Math.max(0, Duration.ofMillis(left).toMinutes()));
    }

    /**
     * One round of the background checks: renews the lease of the instances this server runs and ends those another
     * server stopped or deleted; marks Stopped those whose server is gone; records each running instance's last
     * activity from Jupyter's {@code /api/status}, stops those idle longer than their idle time, and starts or stops
     * the instances whose schedule fired since it was last applied.
     */
    public void tick() {
        long now = clock.millis();
        store.renew(serverId, now + lease.toMillis());
        for (Live running : List.copyOf(live.values())) {
            // runner() is empty for a deleted, Stopped or Failed instance: each of those ends here too
            boolean ours = store.runner(running.workspace, running.name).filter(serverId::equals).isPresent();
            if (!ours && live.remove(key(running.workspace, running.name), running)) {
                LOG.info("Compute instance {}/{} was stopped through another server; ending its workload here", running.workspace,
                        running.name);
                running.ended = true;
                if (running.handle != null) {
                    running.handle.stop();
                }
            }
        }
        reapLapsed(now);
        for (ComputeInstance instance : store.listAll()) {
            try {
                checkIdle(instance, now);
            } catch (RuntimeException e) {
                LOG.warn("Idle check of compute instance {}/{} failed: {}", instance.workspace(), instance.name(), e.toString());
            }
        }
        for (ComputeInstance instance : store.listAll()) {
            if (instance.document().schedules().isEmpty()) {
                continue;
            }
            // what fired since the schedules were last applied: the server that moves the check's mark applies it, no other
            long since = store.schedulesCheckedAt(instance.workspace(), instance.name());
            Optional<InstanceDocument.Action> action = instance.document().scheduledAction(since, now);
            if (action.isPresent() && store.claimSchedules(instance.workspace(), instance.name(), since, now)) {
                applySchedule(instance.workspace(), instance.name(), action.get());
            }
        }
    }

    private void checkIdle(ComputeInstance instance, long now) {
        Live running = live.get(key(instance.workspace(), instance.name()));
        if (instance.state() != InstanceState.RUNNING || running == null || !running.address.isDone()) {
            return;
        }
        status(running).map(status -> status.path("last_activity").asText(""))
                .filter(text -> !text.isEmpty())
                .map(text -> Instant.parse(text).toEpochMilli())
                .ifPresent(at -> store.recordActivity(instance.workspace(), instance.name(), at));
        if (instance.document().idleMinutes() == 0) {
            return;
        }
        ComputeInstance current = get(instance.workspace(), instance.name());
        if (now - current.lastActivity() >= Duration.ofMinutes(current.document().idleMinutes()).toMillis()) {
            LOG.info("Stopping idle compute instance {}/{}", instance.workspace(), instance.name());
            halt(current, InstanceState.STOPPED, Optional.of("stopped after " + current.document().idleMinutes() + " idle minutes"));
        }
    }

    private void applySchedule(String workspace, String name, InstanceDocument.Action action) {
        Optional<ComputeInstance> found = store.get(workspace, name);
        if (found.isEmpty()) {
            return;
        }
        ComputeInstance instance = found.get();
        try {
            switch (action) {
                case START -> {
                    if (instance.state() == InstanceState.STOPPED || instance.state() == InstanceState.FAILED) {
                        launch(instance, false);
                    }
                }
                case STOP -> halt(instance, InstanceState.STOPPED, Optional.of("stopped by its schedule"));
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduled {} of compute instance {}/{} failed: {}", action, workspace, name, e.toString());
        }
    }

    /** The instance, when the caller owns it or holds MANAGE_COMPUTE in the workspace. */
    private ComputeInstance managed(String workspace, String name, Principal caller) {
        ComputeInstance instance = get(workspace, name);
        if (!instance.owner().equals(caller.username()) && !authorizer.permits(caller, Permission.MANAGE_COMPUTE, Optional.of(workspace))) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Compute instance '" + name + "' belongs to " + instance.owner()
                    + "; starting, stopping and deleting it needs MANAGE_COMPUTE");
        }
        return instance;
    }

    /** Starts its server; returns once the workload is started. A thread waits for Jupyter to answer and marks it Running. */
    private void launch(ComputeInstance instance, boolean firstStart) {
        String key = key(instance.workspace(), instance.name());
        ComputeTarget target = computes.get(instance.workspace(), instance.compute());
        long now = clock.millis();
        if (!store.claim(instance.workspace(), instance.name(), serverId, now + lease.toMillis(), now)) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Compute instance '" + instance.name()
                    + "' was started by another Atelier server meanwhile");
        }
        String jupyterToken = HexFormat.of().formatHex(bytes(24));
        Map<String, String> variables = new HashMap<>();
        String base = (workloads.onServerHost(target) ? hostUrl : remoteUrl).get().replaceAll("/+$", "");
        variables.put("MLFLOW_TRACKING_URI", "default".equals(instance.workspace()) ? base : base + "/w/" + instance.workspace());
        Map<String, String> secrets = new HashMap<>();
        secrets.put(NotebookServer.TOKEN_VARIABLE, jupyterToken);
        Live running = new Live(instance.workspace(), instance.name(), jupyterToken);
        try {
            credentials.issue(instance.workspace(), instance.owner(), instance.name())
                    .ifPresent(token -> secrets.put("MLFLOW_TRACKING_TOKEN", token));
            Path files = ownerFiles.folder(instance.workspace(), instance.owner());
            live.put(key, running);
            running.handle = workloads.serve(target, NotebookServer.spec(instance, files, variables, secrets, firstStart), running);
            running.handle.address().ifPresent(address -> running.address.complete(URI.create(address.replaceAll("/+$", "")
                    + NotebookServer.basePath(instance.workspace(), instance.name()))));
        } catch (RuntimeException e) {
            live.remove(key, running);
            credentials.revoke(instance.workspace(), instance.owner(), instance.name());
            store.setState(instance.workspace(), instance.name(), InstanceState.FAILED, Optional.of(String.valueOf(e.getMessage())), clock.millis());
            throw e;
        }
        Thread.ofVirtual().name("notebook-start-" + instance.name()).start(() -> awaitReady(running));
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private void awaitReady(Live running) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && !running.ended) {
            if (running.address.isDone() && status(running).isPresent()) {
                long now = clock.millis();
                if (live.get(key(running.workspace, running.name)) == running
                        && store.markRunning(running.workspace, running.name, serverId, now)) {
                    store.recordActivity(running.workspace, running.name, now);
                }
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (live.get(key(running.workspace, running.name)) == running) {
            String why = running.ended ? "its Jupyter server exited: " + running.lastLines() : "its Jupyter server did not answer within "
                    + STARTUP_TIMEOUT.toSeconds() + " s: " + running.lastLines();
            store.get(running.workspace, running.name).ifPresent(instance -> halt(instance, InstanceState.FAILED, Optional.of(why)));
        }
    }

    /** Jupyter's {@code /api/status}, when it answers 200. */
    private Optional<JsonNode> status(Live running) {
        HttpRequest request = HttpRequest.newBuilder(running.address.join().resolve("api/status")).timeout(Duration.ofSeconds(5))
                .header("Authorization", "token " + running.jupyterToken).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(Json.mapper().readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops its server where one runs and records {@code state}; its files stay. */
    private void halt(ComputeInstance instance, InstanceState state, Optional<String> message) {
        Live running = live.remove(key(instance.workspace(), instance.name()));
        if (running == null && (instance.state() == InstanceState.STOPPED || instance.state() == InstanceState.FAILED)) {
            if (state == InstanceState.FAILED) {
                store.setState(instance.workspace(), instance.name(), state, message, clock.millis());
            }
            return;
        }
        store.setState(instance.workspace(), instance.name(), InstanceState.STOPPING, Optional.empty(), clock.millis());
        if (running != null) {
            running.ended = true;
            if (running.handle != null) {
                running.handle.stop();
            }
        }
        ComputeTarget target = computes.get(instance.workspace(), instance.compute());
        workloads.deleteService(target, NotebookServer.workloadId(instance.workspace(), instance.name()));
        credentials.revoke(instance.workspace(), instance.owner(), instance.name());
        store.setState(instance.workspace(), instance.name(), state, message, clock.millis());
    }

    private static String key(String workspace, String name) {
        return workspace + "/" + name;
    }

    @Override
    public void workspaceCreated(String workspace) {
    }

    /** A workspace with compute instances is kept by a delete without force. */
    @Override
    public boolean holdsData(String workspace) {
        return !store.list(workspace).isEmpty();
    }

    /** Stops the servers of a deleted workspace (its rows and tokens are gone already); the owners' files stay. */
    @Override
    public void workspaceDeleted(String workspace) {
        for (Live running : List.copyOf(live.values())) {
            if (running.workspace.equals(workspace) && live.remove(key(running.workspace, running.name), running)) {
                running.ended = true;
                if (running.handle != null) {
                    running.handle.stop();
                }
            }
        }
    }

    /** Runs {@link #tick} every {@code period} on a thread of its own until {@link #close}. */
    public void startChecks(Duration period) {
        checks = Thread.ofVirtual().name("notebook-checks").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.warn("Compute instance checks failed: {}", e.toString());
                }
            }
        });
    }

    /** Stops the checks and every server this service started (local ones would die with the server anyway). */
    @Override
    public void close() {
        Thread checker = checks;
        if (checker != null) {
            checker.interrupt();
        }
        for (Live running : List.copyOf(live.values())) {
            store.get(running.workspace, running.name).ifPresent(instance -> {
                try {
                    halt(instance, InstanceState.STOPPED, Optional.of("stopped when the server stopped"));
                } catch (RuntimeException e) {
                    LOG.warn("Stopping compute instance {}/{} failed: {}", running.workspace, running.name, e.toString());
                }
            });
        }
    }

    /** One started server: where it answers once known, its token, and what its program said last. */
    private final class Live implements ServiceListener {
        final String workspace;
        final String name;
        final String jupyterToken;
        final CompletableFuture<URI> address = new CompletableFuture<>();
        final ArrayDeque<String> lines = new ArrayDeque<>();
        volatile ServiceHandle handle;
        volatile boolean ended;

        Live(String workspace, String name, String jupyterToken) {
            this.workspace = workspace;
            this.name = name;
            this.jupyterToken = jupyterToken;
        }

        @Override
        public void started(int replica) {
        }

        @Override
        public void log(int replica, String stream, String line) {
            if (line.startsWith(NotebookServer.PORT_LINE) && !address.isDone()) {
                int port = Integer.parseInt(line.substring(NotebookServer.PORT_LINE.length()).strip());
                address.complete(URI.create("http://127.0.0.1:" + port + NotebookServer.basePath(workspace, name)));
            }
            synchronized (lines) {
                if (lines.size() == LOG_TAIL) {
                    lines.removeFirst();
                }
                lines.addLast(line.replace(jupyterToken, "..."));
            }
        }

        @Override
        public void exited(int replica, int exitCode) {
            boolean unexpected = !ended;
            ended = true;
            if (unexpected && live.remove(key(workspace, name), this)) {
                store.get(workspace, name).ifPresent(instance -> {
                    credentials.revoke(workspace, instance.owner(), name);
                    store.setState(workspace, name, InstanceState.FAILED, Optional.of("its Jupyter server exited with code " + exitCode
                            + ": " + lastLines()), clock.millis());
                });
            }
        }

        String lastLines() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
