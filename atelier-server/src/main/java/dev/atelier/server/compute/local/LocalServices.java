package dev.atelier.server.compute.local;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.WorkloadId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The {@code local} target's services: each replica is a {@link LocalCompute} workload of kind
 * {@link Workload.Kind#SERVING} (sandboxed, clean environment, the host's loopback network) listening on
 * {@code 127.0.0.1} at a port it picks ({@link ServiceSpec#PORT} is 0) and announces itself; its files folders are
 * the domain's folders on this host, mounted read-only (read-write when they are {@link ServiceFiles#writable}), and its {@code HOME} is a folder of its own below
 * {@code <root>/<workspace>/<name>-<n>}. One thread per replica hands its output lines to the listener and then its
 * exit; nothing restarts a replica by itself (the domain decides, through {@link ServiceHandle#restart}), and
 * {@link ServiceHandle#stop} kills every replica's process tree ({@link ProcessTree}) and deletes the folder. A local
 * process does not outlive the server. Each {@link #serve} starts a new set of replicas: the previous set of the same
 * id serves until it is stopped, so a domain can swap in a new one once it is ready. Thread-safe.
 */
public final class LocalServices {
    public static final String HOST = "127.0.0.1";
    private static final int LOG_LINES = 2000;
    private static final long DRAIN_MILLIS = 2000;

    private final LocalCompute local;
    private final Path root;
    private final AtomicLong sequence = new AtomicLong();

    /** @param root folder of the services' folders (below the work root) */
    public LocalServices(LocalCompute local, Path root) {
        this.local = requireNonNull(local, "local is null");
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /**
     * Starts every replica and returns once their processes run (not once they listen).
     *
     * @throws AtelierException INVALID_STATE when local workloads are refused; INVALID_PARAMETER_VALUE when the service
     *                          has no command, a files folder has no folder on this host, or the program cannot be run
     *                          (not on {@link LocalCompute#PATH}). No process is left running then.
     */
    public ServiceHandle serve(ServiceSpec spec, ServiceListener listener) {
        local.checkAllowed();
        if (spec.command().isEmpty()) {
            throw AtelierException.invalidParameter("Service " + spec.id().describe() + " needs a command to run on the server's host");
        }
        Map<String, String> folders = new LinkedHashMap<>();
        for (ServiceFiles files : spec.files()) {
            Path folder = files.local().orElseThrow(() -> AtelierException.invalidParameter("Service " + spec.id().describe()
                    + ": its files '" + files.name() + "' have no folder on the server's host"));
            folders.put(files.name(), folder.toString());
        }
        String program = spec.command().getFirst();
        if (!local.canRun(program)) {
            throw AtelierException.invalidParameter("local workloads find no '" + program + "' on their PATH (" + LocalCompute.PATH + ")");
        }
        Path folder = root.resolve(spec.id().workspace()).resolve(spec.id().objectName() + "-" + sequence.incrementAndGet());
        Service service = new Service(spec, listener, folder, folders);
        try {
            for (int replica = 0; replica < spec.replicas(); replica++) {
                service.start(replica);
            }
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        return service;
    }

    private final class Service implements ServiceHandle {
        private final ServiceSpec spec;
        private final ServiceListener listener;
        private final Path folder;
        private final List<String> command;
        private final Map<String, String> variables = new HashMap<>();
        private final List<Path> readOnly;
        private final List<Path> writable;
        private final Path workingDir;
        private final Replica[] replicas;
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private boolean stopped;

        Service(ServiceSpec spec, ServiceListener listener, Path folder, Map<String, String> folders) {
            this.spec = spec;
            this.listener = listener;
            this.folder = folder;
            this.command = spec.command().stream().map(part -> ServiceSpec.place(part, HOST, 0, folders)).toList();
            spec.variables().forEach((name, value) -> variables.put(name, ServiceSpec.place(value, HOST, 0, folders)));
            variables.putAll(spec.secretVariables());
            this.readOnly = spec.files().stream().filter(files -> !files.writable()).map(files -> Path.of(folders.get(files.name()))).toList();
            this.writable = spec.files().stream().filter(ServiceFiles::writable).map(files -> Path.of(folders.get(files.name()))).toList();
            this.workingDir = spec.workingFolder().map(name -> Path.of(folders.get(name))).orElse(folder);
            this.replicas = new Replica[spec.replicas()];
        }

        @Override
        public WorkloadId id() {
            return spec.id();
        }

        /** Starts replica {@code index}; it must not run. */
        private void start(int index) {
            Map<String, String> own = new HashMap<>(variables);
            spec.replicaVariable().ifPresent(variable -> own.put(variable, Integer.toString(index)));
            Workload workload = new Workload(spec.id().describe() + " replica " + index, Workload.Kind.SERVING, command,
                    folder.resolve("replica-" + index), workingDir, own, readOnly, List.of(), writable);
            synchronized (this) {
                if (stopped) {
                    throw AtelierException.invalidState("Service " + spec.id().describe() + " is stopped");
                }
                Process process;
                try {
                    process = local.start(workload);
                } catch (IOException e) {
                    throw AtelierException.invalidParameter("could not start '" + command.getFirst() + "': " + e.getMessage());
                }
                replicas[index] = new Replica(index, process);
            }
        }

        @Override
        public ServiceStatus status() {
            int ready = 0;
            synchronized (this) {
                for (Replica replica : replicas) {
                    ready += replica != null && replica.process.isAlive() ? 1 : 0;
                }
                return new ServiceStatus(!stopped, replicas.length, ready, ready, ready == replicas.length, Optional.empty());
            }
        }

        @Override
        public Optional<String> address() {
            return Optional.empty();
        }

        @Override
        public synchronized List<String> logs(int tail) {
            return lines.stream().skip(Math.max(0, lines.size() - Math.max(0, tail))).toList();
        }

        @Override
        public void restart(int index) {
            Replica old;
            synchronized (this) {
                old = replicas[index];
                replicas[index] = null;
            }
            if (old != null) {
                old.kill();
            }
            start(index);
        }

        @Override
        public void stop() {
            List<Replica> all = new ArrayList<>();
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
                for (int index = 0; index < replicas.length; index++) {
                    if (replicas[index] != null) {
                        all.add(replicas[index]);
                    }
                    replicas[index] = null;
                }
            }
            ProcessTree.kill(all.stream().map(replica -> replica.process).toList());
            all.forEach(Replica::awaitWatcher);
            Folders.deleteQuietly(folder);
        }

        private synchronized void remember(int index, String line) {
            if (lines.size() == LOG_LINES) {
                lines.removeFirst();
            }
            lines.addLast("[" + index + "] " + line);
        }

        /** One started process: a thread hands its lines to the listener, then its exit. */
        private final class Replica {
            private final int index;
            private final Process process;
            private final Thread watcher;

            Replica(int index, Process process) {
                this.index = index;
                this.process = process;
                listener.started(index);
                this.watcher = Thread.ofVirtual().name("local-service-" + spec.id().name() + "-" + index).start(this::watch);
            }

            private void watch() {
                Thread stderr = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr"));
                pump(process.getInputStream(), "stdout");
                try {
                    stderr.join(DRAIN_MILLIS);
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                listener.exited(index, process.exitValue());
            }

            private void pump(InputStream stream, String name) {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        remember(index, line);
                        listener.log(index, name, line);
                    }
                } catch (IOException e) {
                    listener.log(index, "system", name + " closed: " + e.getMessage());
                }
            }

            /** Kills its process tree and returns once its exit was heard. */
            void kill() {
                ProcessTree.kill(process);
                awaitWatcher();
            }

            void awaitWatcher() {
                try {
                    watcher.join(ProcessTree.GRACE_MILLIS + DRAIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
