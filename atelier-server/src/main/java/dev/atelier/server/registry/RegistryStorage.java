package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactArea;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The registry's own copy of each version's files, in the reserved artifact folder
 * {@code registry/<id>/} of the workspace, so that a model outlives the run that logged it.
 *
 * <p>A copy runs in the request when the source is small ({@code inlineLimitBytes}), so that the
 * version is READY in the answer to model-versions/create as MLflow's own server answers; larger
 * copies run in the background while the version is PENDING_REGISTRATION (MLflow's clients poll
 * get-model-version until it is not). Every copy holds a claim in the database (a token and a
 * lease whose end is set and compared on the database's clock, so servers whose clocks differ agree on it; when to
 * renew is an interval on this server's clock), renewed between files and while a long file is read; a sweeper, at start and then every
 * half lease, takes over copies whose lease expired (their server stopped) under a new token and
 * into a new folder, so a pending version always ends READY or FAILED_REGISTRATION. Renewing and
 * finishing are conditional on the token: a copy whose claim was taken over stops, deletes its own
 * folder and can neither end the version nor touch the folder of the copy that replaced it.
 * Thread-safe.
 */
final class RegistryStorage implements AutoCloseable {
    static final String FOLDER = "registry";
    static final long LEASE_MILLIS = 120_000;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStorage.class);
    private static final int SWEEP_BATCH = 20;

    private final RegistryStore store;
    private final ArtifactService artifacts;
    private final ArtifactArea area;
    private final Clock clock;
    private final long inlineLimitBytes;
    private final ExecutorService copies = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("registry-copy-sweeper").daemon().factory());
    private final Set<PendingCopy> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    RegistryStorage(RegistryStore store, ArtifactService artifacts, Clock clock, long inlineLimitBytes) {
        this.store = requireNonNull(store, "store is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.area = artifacts.reserve(FOLDER, "the model registry");
        this.clock = requireNonNull(clock, "clock is null");
        this.inlineLimitBytes = inlineLimitBytes;
    }

    /** Starts taking over interrupted copies: now, then every half lease. */
    void startSweeping() {
        sweeper.scheduleWithFixedDelay(this::sweep, 0, LEASE_MILLIS / 2, TimeUnit.MILLISECONDS);
    }

    /** A new, unused storage folder, relative to the workspace's artifact root. */
    static String newLocation() {
        return FOLDER + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    /** When a lease taken now ends, on the database's clock (every server compares leases on it). */
    long leaseEnd() {
        return store.databaseTime() + LEASE_MILLIS;
    }

    /** Whether a source of this many bytes is copied in the request rather than in the background. */
    boolean copiesInline(String workspace, String copySource) {
        return artifacts.size(workspace, copySource) <= inlineLimitBytes;
    }

    /** Copies now, in the caller's thread; the version ends READY or FAILED_REGISTRATION before this returns. */
    void copyNow(PendingCopy copy) {
        copyAndFinish(copy);
    }

    void copyInBackground(PendingCopy copy) {
        copies.execute(() -> copyAndFinish(copy));
    }

    /** Deletes a version's copy; nothing happens when it is not in registry storage. */
    void delete(String workspace, String storageLocation) {
        if (storageLocation != null && storageLocation.startsWith(FOLDER + "/")) {
            area.deletePrefix(workspace, storageLocation.substring(FOLDER.length() + 1));
        }
    }

    /** Takes over the copies whose lease ran out on the database's clock, and copies them in the background. */
    void sweep() {
        try {
            long now = store.databaseTime();
            List<PendingCopy> claimed = store.claimExpiredCopies(now, now + LEASE_MILLIS, SWEEP_BATCH);
            claimed.forEach(this::copyInBackground);
        } catch (RuntimeException e) {
            LOG.warn("could not look for interrupted model copies: {}", e.toString());
        }
    }

    private void copyAndFinish(PendingCopy copy) {
        running.add(copy);
        TreeCopy tree = new TreeCopy(copy);
        try {
            if (copy.copySource().isBlank() || !copy.storageLocation().startsWith(FOLDER + "/")) {
                throw AtelierException.invalidState("the version has no source or storage folder recorded");
            }
            if (copy.abandonedLocation() != null && !copy.abandonedLocation().equals(copy.storageLocation())) {
                deleteQuietly(copy.workspace(), copy.abandonedLocation()); // what the copy taken over left behind
            }
            delete(copy.workspace(), copy.storageLocation());
            tree.run();
            if (!store.finishRegistration(copy.workspace(), copy.name(), copy.version(), copy.claimOwner(), ModelVersion.READY, null,
                    clock.millis())) {
                delete(copy.workspace(), copy.storageLocation()); // this claim's own folder: the version is not ours any more
            }
        } catch (RuntimeException e) {
            if (tree.claimLost) {
                // Another server took the copy over (into a folder of its own), or the version was deleted: stop here.
                LOG.info("stopped copying model {} version {}: its claim was lost", copy.name(), copy.version());
                deleteQuietly(copy.workspace(), copy.storageLocation());
                return;
            }
            // Whatever went wrong, the version ends FAILED: retrying a copy that fails the same way would keep it pending forever.
            if (closing) {
                return;
            }
            LOG.warn("copying model {} version {} failed: {}", copy.name(), copy.version(), e.toString());
            deleteQuietly(copy.workspace(), copy.storageLocation());
            store.finishRegistration(copy.workspace(), copy.name(), copy.version(), copy.claimOwner(), ModelVersion.FAILED_REGISTRATION,
                    "Copying the model's files from '" + copy.copySource() + "' failed: "
                            + (e instanceof AtelierException || e instanceof UncheckedIOException ? e.getMessage() : "internal error"),
                    clock.millis());
        } finally {
            running.remove(copy);
        }
    }

    private void deleteQuietly(String workspace, String storageLocation) {
        try {
            delete(workspace, storageLocation);
        } catch (RuntimeException cleanup) {
            LOG.warn("could not remove the partial copy at {}: {}", storageLocation, cleanup.toString());
        }
    }

    /**
     * One copy of a folder tree (or a single file) into the version's storage folder, renewing the claim's lease as it
     * goes, between files and while a long file is read; a renewal refused (the claim was taken over) stops the copy.
     */
    private final class TreeCopy {
        private final PendingCopy copy;
        private long renewAt;
        private volatile boolean claimLost;

        TreeCopy(PendingCopy copy) {
            this.copy = copy;
            this.renewAt = clock.millis() + LEASE_MILLIS / 4;
        }

        void run() {
            List<FileInfo> top = artifacts.list(copy.workspace(), copy.copySource());
            if (top.isEmpty()) {
                String name = copy.copySource().substring(copy.copySource().lastIndexOf('/') + 1);
                copyFile(copy.copySource(), name);
            } else {
                copyFolder(copy.copySource(), "", top);
            }
        }

        private void copyFolder(String from, String to, List<FileInfo> entries) {
            for (FileInfo entry : entries) {
                String source = from + "/" + entry.path();
                String target = to.isEmpty() ? entry.path() : to + "/" + entry.path();
                if (entry.isDir()) {
                    copyFolder(source, target, artifacts.list(copy.workspace(), source));
                } else {
                    copyFile(source, target);
                }
            }
        }

        private void copyFile(String source, String target) {
            if (closing) {
                throw new UncheckedIOException(new IOException("the server is stopping"));
            }
            String storageRelative = copy.storageLocation().substring(FOLDER.length() + 1) + "/" + target;
            try (ArtifactContent content = artifacts.open(copy.workspace(), source)) {
                area.write(copy.workspace(), storageRelative, new RenewingStream(content.stream()));
                renewIfDue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Renews the lease when a quarter of it passed; throws once the claim is lost, and every time after. */
        void renewIfDue() throws IOException {
            if (!claimLost && clock.millis() >= renewAt) {
                claimLost = !store.renewClaim(copy.workspace(), copy.name(), copy.version(), copy.claimOwner(), leaseEnd());
                renewAt = clock.millis() + LEASE_MILLIS / 4;
            }
            if (claimLost) {
                throw new IOException("the copy's claim was taken over by another server");
            }
        }

        /** A file's bytes, renewing the lease while they are read: a long file outlasts a lease. */
        private final class RenewingStream extends FilterInputStream {
            RenewingStream(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                renewIfDue();
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                renewIfDue();
                return super.read(buffer, offset, length);
            }
        }
    }

    /**
     * Stops copying. Copies cut short stay pending with their lease released, so the next server
     * to start (or another replica) takes them over at once. Call before the database closes.
     */
    @Override
    public void close() {
        closing = true;
        sweeper.shutdownNow();
        copies.shutdownNow();
        try {
            copies.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PendingCopy copy : Set.copyOf(running)) {
            try {
                store.renewClaim(copy.workspace(), copy.name(), copy.version(), copy.claimOwner(), 0);
            } catch (RuntimeException e) {
                LOG.warn("could not release the copy of model {} version {}: {}", copy.name(), copy.version(), e.toString());
            }
        }
    }
}
