package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.ImageBuild;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Images of {@code image} environments with a {@code build} (docs/jobs.md, "Environments that build"), built in the
 * target's cluster by a BuildKit rootless Job ({@link ImageBuildObjects}) that pushes to the target's
 * {@code kubernetes.registry}. The image is {@code <registry>/<environment name>:<digest>}, the digest being the first
 * 16 hex digits of SHA-256 over the context snapshot id and the Dockerfile path; its Job, Secret and ConfigMap are
 * named from the digest. Built once per digest: a caller that finds the build Job already there follows it instead of
 * creating another (a creation that loses the race is answered 409 and follows too); a succeeded build is remembered
 * by the ConfigMap {@code atelier-image-<digest>}, one data entry per reference pushed, so later callers skip the
 * build. The caller that created a build Job deletes it at its end (its Secret, owned by the Job, goes with it); a
 * failed build is thus tried again by the next job, and callers that followed it fail with it. A build Job whose caller
 * stopped is left to end and is deleted by the cluster ({@link ImageBuildObjects#TTL_SECONDS}). Thread-safe (no state
 * besides the cluster's).
 */
public final class ImageBuilds {
    /** How many of the build's last log lines a failure reports. */
    private static final int FAILURE_LINES = 20;
    private static final Duration LOG_RETRY = Duration.ofSeconds(1);
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    private final KubernetesConnections connections;
    private final Supplier<String> serverUrl;
    private final Duration pollInterval;

    ImageBuilds(KubernetesConnections connections, Supplier<String> serverUrl, Duration pollInterval) {
        this.connections = requireNonNull(connections, "connections is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    }

    /** A build that ended without an image: its reason ends with the build's last log lines. */
    static final class BuildFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BuildFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** The caller stopped while the build ran (it goes on; a later job follows it or finds its image). */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped while the image was built", null, false, false);
        }
    }

    /** The first 16 hex digits of SHA-256 over the context snapshot id and the Dockerfile path. */
    static String digest(ImageBuild build) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(build.contextSnapshot().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(build.dockerfilePath().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** {@code <registry>/<environment name, lower-cased>:<digest>}. */
    static String reference(String registry, Environment environment, ImageBuild build) {
        String repository = environment.name().toLowerCase(Locale.ROOT).replaceAll("[._-]{2,}", "-")
                .replaceAll("[._-]+$", "");
        return registry.replaceAll("/+$", "") + "/" + repository + ":" + digest(build);
    }

    /** {@code spec} running in {@code image} instead of its environment's own. */
    static RunSpec inImage(RunSpec spec, String image) {
        return new RunSpec(spec.id(), spec.command(), spec.variables(), spec.secretVariables(), spec.token(),
                spec.environment().map(environment -> environment.withBuiltImage(image)), spec.staged(), spec.outputFolders(),
                spec.outputsUpload(), spec.timeout(), spec.cpu(), spec.memory());
    }

    /**
     * The image {@code spec}'s environment is built into, building it first unless a build of it succeeded before.
     * Blocks until then; the build's log lines go to {@code log} ({@code system} stream).
     *
     * @param stopped whether the caller gave up (then this returns empty and leaves a build it created to its end)
     * @throws BuildFailed when the build failed or its Job vanished before it succeeded
     * @throws KubernetesClientException when the cluster refuses an object
     */
    Optional<String> ensure(KubernetesClient client, KubernetesSettings settings, RunSpec spec, BiConsumer<String, String> log,
                            BooleanSupplier stopped) {
        Environment environment = spec.environment().orElseThrow();
        ImageBuild build = environment.build().orElseThrow();
        String digest = digest(build);
        String reference = reference(settings.registry(), environment, build);
        String namespace = settings.namespace();
        String name = ImageBuildObjects.jobName(digest);
        while (true) {
            if (built(client, namespace, digest, reference)) {
                log.accept("system", "[atelier] Image " + reference + " was built before");
                return Optional.of(reference);
            }
            Job existing = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            boolean created = false;
            if (existing == null) {
                created = create(client, settings, spec, build, digest, reference);
                if (!created) {
                    continue;
                }
                log.accept("system", "[atelier] Building image " + reference + " (Kubernetes Job " + namespace + "/" + name + ")");
            }
            boolean ours = existing == null || reference.equals(ImageBuildObjects.referenceOf(existing));
            if (existing != null) {
                Optional<Ended> leftBehind = ended(existing);
                if (leftBehind.isPresent()) {
                    // A build whose creator stopped following it (its job was canceled, the server stopped).
                    if (ours && leftBehind.get().succeeded()) {
                        remember(client, namespace, digest, reference);
                        log.accept("system", "[atelier] Image " + reference + " was built before (Kubernetes Job " + namespace + "/"
                                + name + ")");
                        return Optional.of(reference);
                    }
                    client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND)
                            .delete();
                    if (!pause(stopped)) {
                        return Optional.empty();
                    }
                    continue;
                }
                log.accept("system", "[atelier] Waiting for the build of Kubernetes Job " + namespace + "/" + name);
            }
            try {
                Optional<Ended> ended = follow(client, namespace, name, log, stopped);
                if (ended.isEmpty()) {
                    return Optional.empty();
                }
                if (!ended.get().succeeded() && built(client, namespace, digest, reference)) {
                    // The build's creator saw it succeed, remembered the image and deleted its Job before this caller
                    // looked again: the Job is gone, the image is there.
                    log.accept("system", "[atelier] Image " + reference + " was built (Kubernetes Job " + namespace + "/" + name + ")");
                    return Optional.of(reference);
                }
                if (!ours) {
                    // Another image of the same digest: give its creator time to read the result, then build ours.
                    if (!pause(stopped) || !pause(stopped)) {
                        return Optional.empty();
                    }
                    continue;
                }
                if (ended.get().succeeded()) {
                    remember(client, namespace, digest, reference);
                    return Optional.of(reference);
                }
                throw new BuildFailed("The image build of " + reference + " failed" + ended.get().reason());
            } finally {
                if (created && !stopped.getAsBoolean()) {
                    // Its Secret is owned by the Job: the cluster deletes it with the Job.
                    client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND)
                            .delete();
                }
            }
        }
    }

    /** How a build Job ended; {@code reason} is empty for a success. */
    private record Ended(boolean succeeded, String reason) {
    }

    /**
     * Creates the build's Job, then its Secret (owned by the Job, so deleted with it); false when another caller created
     * the Job first. The pod waits for the Secret, so creating it second leaves no window in which two callers share one.
     */
    private boolean create(KubernetesClient client, KubernetesSettings settings, RunSpec spec, ImageBuild build, String digest,
                           String reference) {
        String name = ImageBuildObjects.jobName(digest);
        Optional<String> dockerConfig = settings.registrySecret().isEmpty() ? Optional.empty()
                : Optional.of(connections.registryConfig(spec.id().workspace(), settings, spec.id().owner() + ":" + spec.id().name()));
        String base = serverUrl.get().replaceAll("/+$", "") + ("default".equals(spec.id().workspace()) ? ""
                : "/w/" + spec.id().workspace());
        Job job;
        try {
            job = client.batch().v1().jobs().inNamespace(settings.namespace()).resource(ImageBuildObjects.job(name, reference,
                    build, base, connections.fetchImage(), spec.token().isPresent(), dockerConfig.isPresent(), settings.serviceAccount()))
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
        // A Secret left by a build whose Job was deleted by hand: the Job is ours now, and so is its Secret's name.
        client.secrets().inNamespace(settings.namespace()).withName(name).delete();
        client.secrets().inNamespace(settings.namespace()).resource(ImageBuildObjects.secret(job, spec.token(), dockerConfig)).create();
        return true;
    }

    /** Follows the build Job to its end; empty when the caller stopped first. */
    private Optional<Ended> follow(KubernetesClient client, String namespace, String name, BiConsumer<String, String> log,
                                     BooleanSupplier stopped) {
        Deque<String> last = new ArrayDeque<>();
        PodLogStream stream = null;
        Thread reader = null;
        try {
            while (true) {
                if (stopped.getAsBoolean()) {
                    return Optional.empty();
                }
                Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
                if (job == null) {
                    return Optional.of(new Ended(false, ": its Kubernetes Job " + name + " was deleted before it succeeded"));
                }
                if (stream == null) {
                    Optional<Pod> pod = client.pods().inNamespace(namespace).withLabel(ImageBuildObjects.BUILD_LABEL, name).list().getItems()
                            .stream().findFirst();
                    if (pod.isPresent()) {
                        stream = new PodLogStream(client, namespace, pod.get().getMetadata().getName(), ImageBuildObjects.CONTAINER,
                                PodLogStream.Position.START, LOG_RETRY, line -> {
                                    log.accept("system", "[build] " + line);
                                    synchronized (last) {
                                        last.addLast(line);
                                        if (last.size() > FAILURE_LINES) {
                                            last.removeFirst();
                                        }
                                    }
                                });
                        PodLogStream following = stream;
                        reader = Thread.ofVirtual().name("k8s-build-log-" + name).start(() -> {
                            try {
                                following.follow();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                }
                Optional<Ended> ended = ended(job);
                if (ended.isPresent() && !ended.get().succeeded()) {
                    if (reader != null) {
                        reader.join(LOG_DRAIN);
                    }
                    synchronized (last) {
                        return Optional.of(new Ended(false, ended.get().reason() + (last.isEmpty() ? ""
                                : "; last lines of its log:\n" + String.join("\n", last))));
                    }
                }
                if (ended.isPresent()) {
                    return ended;
                }
                Thread.sleep(pollInterval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
    }

    /** How the Job ended, by its status; empty while it runs. */
    private static Optional<Ended> ended(Job job) {
        JobStatus status = job.getStatus();
        if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
            return Optional.of(new Ended(true, ""));
        }
        if (status != null && status.getFailed() != null && status.getFailed() > 0) {
            return Optional.of(new Ended(false, status.getConditions() == null ? "" : status.getConditions().stream()
                    .filter(condition -> "Failed".equals(condition.getType())).map(JobCondition::getMessage)
                    .filter(message -> message != null).findFirst().map(message -> ": " + message).orElse("")));
        }
        return Optional.empty();
    }

    /** Waits one poll interval; false when the caller stopped or the thread was interrupted. */
    private boolean pause(BooleanSupplier stopped) {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopped.getAsBoolean();
    }

    private static boolean built(KubernetesClient client, String namespace, String digest, String reference) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(ImageBuildObjects.configMapName(digest)).get();
        return map != null && map.getData() != null && reference.equals(map.getData().get(ImageBuildObjects.dataKey(reference)));
    }

    /** Adds {@code reference} to the digest's ConfigMap (created when missing). */
    private static void remember(KubernetesClient client, String namespace, String digest, String reference) {
        String name = ImageBuildObjects.configMapName(digest);
        for (int attempt = 0; attempt < 5; attempt++) {
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
            try {
                if (map == null) {
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                            .addToLabels(ImageBuildObjects.IMAGE_LABEL, digest).endMetadata()
                            .addToData(ImageBuildObjects.dataKey(reference), reference).build()).create();
                } else {
                    Map<String, String> data = new HashMap<>(map.getData() == null ? Map.of() : map.getData());
                    data.put(ImageBuildObjects.dataKey(reference), reference);
                    map.setData(data);
                    client.configMaps().inNamespace(namespace).resource(map).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }
}
