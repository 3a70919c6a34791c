package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Serves the endpoints of every workspace on this server: reconciles what runs here with the
 * database (on every change, and every few seconds for changes made through other replicas and after
 * a restart), starts each deployment generation in the background, and swaps it in only once it
 * started, retiring the previous generation after its last call ended. A generation that fails to
 * start records why and takes no traffic; the previous one keeps serving.
 */
public final class DeploymentHost implements ServingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentHost.class);
    private static final long RECONCILE_EVERY_MILLIS = 2_000;

    private final EndpointService service;
    private final BackendStarter starter;
    private final Path root;
    private final Map<String, LiveEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Slot> slots = new HashMap<>();
    private final Map<String, KeysCache> keys = new HashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final java.util.concurrent.locks.ReentrantLock reconciling = new java.util.concurrent.locks.ReentrantLock();
    private final Thread loop;
    private List<EndpointStore.ServedEndpoint> served = List.of();
    private volatile boolean closed;

    /** Where one deployment stands on this server. */
    private static final class Slot {
        LiveDeployment active;
        long starting;
        long failed;
    }

    private record KeysCache(long updatedAt, Optional<EndpointKeys> keys) {
    }

    public DeploymentHost(EndpointService service, BackendStarter starter, Path root) {
        this.service = requireNonNull(service, "service is null");
        this.starter = requireNonNull(starter, "starter is null");
        this.root = requireNonNull(root, "root is null");
        this.loop = Thread.ofPlatform().name("atelier-deployment-host").daemon().start(this::run);
    }

    /** The endpoint as the router sees it now; empty when there is no such endpoint. */
    Optional<LiveEndpoint> endpoint(String workspace, String name) {
        return Optional.ofNullable(endpoints.get(workspace + "/" + name));
    }

    /** The last lines the started generation of a deployment wrote; empty when it is not started here. */
    public List<String> logs(String workspace, String endpoint, String deployment, int tail) {
        synchronized (this) {
            Slot slot = slots.get(workspace + "/" + endpoint + "/" + deployment);
            return slot == null || slot.active == null ? List.of() : slot.active.backend.logs(tail);
        }
    }

    /** Applies a change made through this server before its API call answers, so the next request sees it. */
    @Override
    public void changed(String workspace, String endpoint) {
        if (!closed) {
            reconcile();
        }
    }

    /** Reconciles now and returns when done (tests and start-up use it). */
    public void reconcileNow() {
        reconcile();
    }

    private void run() {
        while (!closed) {
            try {
                wake.tryAcquire(RECONCILE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!closed) {
                    reconcile();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("reconciling online endpoints failed; retrying", e);
            }
        }
    }

    private void reconcile() {
        reconciling.lock();
        try {
            reconcileOnce();
        } finally {
            reconciling.unlock();
        }
    }

    private void reconcileOnce() {
        List<EndpointStore.ServedEndpoint> current = service.served();
        Map<String, Optional<EndpointKeys>> freshKeys = loadChangedKeys(current);
        synchronized (this) {
            if (closed) {
                return;
            }
            served = current;
            // Keys not found are not cached: another server may have created the endpoint and not yet stored its keys
            // (two writes), and the endpoint's updated_at does not move when they land; they are read again next time.
            freshKeys.forEach((key, value) -> {
                if (value.isEmpty()) {
                    keys.remove(key);
                } else {
                    keys.put(key, new KeysCache(current.stream().filter(e -> key.equals(e.workspace() + "/" + e.endpoint().name()))
                            .findFirst().map(e -> e.endpoint().updatedAt()).orElse(0L), value));
                }
            });
            Set<String> seen = new HashSet<>();
            for (EndpointStore.ServedEndpoint endpoint : current) {
                for (Deployment deployment : endpoint.deployments()) {
                    String key = endpoint.workspace() + "/" + endpoint.endpoint().name() + "/" + deployment.name();
                    seen.add(key);
                    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
                    long running = slot.active == null ? 0 : slot.active.generation;
                    if (deployment.generation() > running && slot.starting < deployment.generation() && slot.failed < deployment.generation()) {
                        slot.starting = deployment.generation();
                        String workspace = endpoint.workspace();
                        String name = endpoint.endpoint().name();
                        Thread.ofVirtual().name("atelier-deploy-" + name + "-" + deployment.name()).start(() -> start(workspace, name, deployment));
                    }
                }
            }
            for (var iterator = slots.entrySet().iterator(); iterator.hasNext(); ) {
                var entry = iterator.next();
                if (!seen.contains(entry.getKey())) {
                    if (entry.getValue().active != null) {
                        entry.getValue().active.retire();
                    }
                    iterator.remove();
                }
            }
            keys.keySet().removeIf(key -> current.stream().noneMatch(e -> key.equals(e.workspace() + "/" + e.endpoint().name())));
            rebuild();
        }
    }

    private Map<String, Optional<EndpointKeys>> loadChangedKeys(List<EndpointStore.ServedEndpoint> current) {
        Map<String, Optional<EndpointKeys>> fresh = new HashMap<>();
        for (EndpointStore.ServedEndpoint endpoint : current) {
            String key = endpoint.workspace() + "/" + endpoint.endpoint().name();
            KeysCache cached;
            synchronized (this) {
                cached = keys.get(key);
            }
            if (cached == null || cached.updatedAt() != endpoint.endpoint().updatedAt()) {
                fresh.put(key, endpoint.endpoint().authMode() == AuthMode.KEY
                        ? service.loadKeys(endpoint.workspace(), endpoint.endpoint().name()) : Optional.empty());
            }
        }
        return fresh;
    }

    private void start(String workspace, String endpoint, Deployment deployment) {
        String key = workspace + "/" + endpoint + "/" + deployment.name();
        Path workDir = root.resolve(workspace).resolve(endpoint).resolve(deployment.name()).resolve("g" + deployment.generation());
        DeploymentBackend backend;
        try {
            deleteTree(workDir);
            Files.createDirectories(workDir);
            backend = starter.start(new BackendStarter.StartRequest(workspace, endpoint, deployment.name(), deployment.generation(),
                    deployment.spec(), workDir));
        } catch (Exception | LinkageError e) {
            String reason = e instanceof AtelierException || e instanceof IOException ? e.getMessage() : e.toString();
            LOG.warn("deployment {} of endpoint {} in workspace {} failed to start generation {}: {}", deployment.name(), endpoint,
                    workspace, deployment.generation(), reason);
            synchronized (this) {
                Slot slot = slots.get(key);
                if (slot != null && slot.starting == deployment.generation()) {
                    slot.starting = 0;
                    slot.failed = deployment.generation();
                }
            }
            deleteTree(workDir);
            service.recordState(workspace, endpoint, deployment.name(), deployment.generation(), ProvisioningState.FAILED,
                    Optional.of(truncate(reason)));
            return;
        }
        LiveDeployment started = new LiveDeployment(deployment.name(), deployment.generation(), deployment.spec(), backend,
                () -> deleteTree(workDir));
        synchronized (this) {
            Slot slot = slots.get(key);
            if (closed || slot == null || slot.starting != deployment.generation()) {
                started.retire();
                return;
            }
            LiveDeployment previous = slot.active;
            slot.active = started;
            slot.starting = 0;
            rebuild();
            if (previous != null) {
                previous.retire();
            }
        }
        service.recordState(workspace, endpoint, deployment.name(), deployment.generation(), ProvisioningState.SUCCEEDED, Optional.empty());
    }

    /** Replaces every endpoint's snapshot from the last served list and the started deployments. Holds the lock. */
    private void rebuild() {
        Map<String, LiveEndpoint> next = new HashMap<>();
        for (EndpointStore.ServedEndpoint served : this.served) {
            String prefix = served.workspace() + "/" + served.endpoint().name();
            Map<String, LiveDeployment> live = new HashMap<>();
            for (Deployment deployment : served.deployments()) {
                Slot slot = slots.get(prefix + "/" + deployment.name());
                if (slot != null && slot.active != null) {
                    live.put(deployment.name(), slot.active);
                }
            }
            Map<String, Integer> traffic = served.endpoint().traffic();
            if (traffic.isEmpty() && !served.deployments().isEmpty()) {
                traffic = Map.of(served.deployments().getFirst().name(), 100);
            }
            List<LiveEndpoint.Weighted> weights = new ArrayList<>();
            int upTo = 0;
            for (var entry : traffic.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                LiveDeployment deployment = live.get(entry.getKey());
                if (deployment != null && entry.getValue() > 0) {
                    upTo += entry.getValue();
                    weights.add(new LiveEndpoint.Weighted(deployment, upTo));
                }
            }
            Optional<Map.Entry<String, Integer>> mirror = served.endpoint().mirrorTraffic().entrySet().stream()
                    .filter(e -> e.getValue() > 0).max(Comparator.comparingInt(Map.Entry::getValue));
            KeysCache cached = keys.get(prefix);
            next.put(prefix, new LiveEndpoint(served.workspace(), served.endpoint(), cached == null ? Optional.empty() : cached.keys(),
                    live, weights, mirror.map(e -> live.get(e.getKey())), mirror.map(Map.Entry::getValue).orElse(0)));
        }
        endpoints.keySet().retainAll(next.keySet());
        endpoints.putAll(next);
    }

    @Override
    public void close() {
        List<LiveDeployment> active = new ArrayList<>();
        synchronized (this) {
            closed = true;
            slots.values().stream().filter(slot -> slot.active != null).forEach(slot -> active.add(slot.active));
            slots.clear();
            endpoints.clear();
        }
        wake.release();
        loop.interrupt();
        active.forEach(LiveDeployment::retire);
    }

    private static String truncate(String reason) {
        String text = reason == null ? "unknown error" : reason;
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", folder, e.toString());
        }
    }
}
