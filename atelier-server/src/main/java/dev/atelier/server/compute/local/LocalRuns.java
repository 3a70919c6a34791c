package dev.atelier.server.compute.local;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeBackend;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Placement;
import dev.atelier.server.compute.RunHandle;
import dev.atelier.server.compute.RunListener;
import dev.atelier.server.compute.RunOutcome;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.Staged;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code local} target's runs: each workload gets the folder {@code <root>/<workspace>/<name>} (outside the data
 * directory), its code staged into {@code wd} (the working directory) and its inputs into {@code inputs/<name>}, and
 * runs {@code /bin/sh -c <command>} as a {@link LocalCompute} workload (sandboxed, clean environment) on its own
 * virtual thread, which streams stdout and stderr line by line, enforces the timeout, kills the process tree on
 * {@link RunHandle#stop}, hands the outputs folder to the listener and deletes the folder. A local process does not
 * outlive the server, so nothing is re-attached. Services are {@link LocalServices}, below {@code <work root>/services}.
 * Thread-safe.
 */
public final class LocalRuns implements ComputeBackend {
    private static final long POLL_MILLIS = 200;

    private final LocalCompute local;
    private final Path root;
    private final Supplier<String> serverUrl;
    private final LocalServices services;

    /**
     * @param root      folder of the runs' folders (the jobs directory)
     * @param serverUrl how workloads on this host reach the server
     */
    public LocalRuns(LocalCompute local, Path root, Supplier<String> serverUrl) {
        this.local = requireNonNull(local, "local is null");
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
        this.services = new LocalServices(local, local.workRoot().resolve("services"));
    }

    @Override
    public ComputeKind kind() {
        return ComputeKind.LOCAL;
    }

    @Override
    public void check(ComputeTarget target, WorkloadNeeds needs) {
        Optional<Environment> environment = needs.environment();
        if (environment.isPresent() && !environment.get().runsLocally()) {
            throw AtelierException.invalidParameter("Compute '" + target.name() + "' runs processes on the server's host: environment '"
                    + environment.get().reference() + "' is an image environment" + (environment.get().build().isPresent()
                    ? " built from a Dockerfile (build:)" : "") + ", which needs a kubernetes compute");
        }
    }

    @Override
    public boolean onServerHost() {
        return true;
    }

    /** @see LocalServices#serve */
    @Override
    public ServiceHandle serve(ComputeTarget target, ServiceSpec spec, ServiceListener listener) {
        return services.serve(spec, listener);
    }

    /** Nothing: local replicas live only as long as their handle ({@link ServiceHandle#stop} ends them). */
    @Override
    public void deleteService(ComputeTarget target, WorkloadId id) {
    }


    @Override
    public Placement placement(ComputeTarget target, WorkloadId id) {
        Path folder = folder(id);
        return new Placement(folder.resolve("wd").toString(), folder.resolve("inputs").toString(), serverUrl.get());
    }

    private Path folder(WorkloadId id) {
        return root.resolve(id.workspace()).resolve(id.name());
    }

    @Override
    public RunHandle launch(ComputeTarget target, RunSpec spec, RunListener listener) {
        Run run = new Run(spec, listener, placement(target, spec.id()));
        Thread.ofVirtual().name("local-" + spec.id().name()).start(run);
        return run;
    }

    @Override
    public Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, java.time.Instant lastLine, RunListener listener) {
        return Optional.empty();
    }

    private final class Run implements RunHandle, Runnable {
        private final RunSpec spec;
        private final RunListener listener;
        private final Path folder;
        private final Path workingDir;
        private final Path inputs;
        private volatile boolean stopRequested;
        private volatile boolean ended;
        /** The built python environment it runs in, when it names one; set by prepare. */
        private Optional<PreparedEnvironment> environment = Optional.empty();

        Run(RunSpec spec, RunListener listener, Placement placement) {
            this.spec = spec;
            this.listener = listener;
            this.folder = folder(spec.id());
            this.workingDir = Path.of(placement.codeDir());
            this.inputs = Path.of(placement.inputsDir());
        }

        @Override
        public void stop() {
            stopRequested = true;
        }

        @Override
        public boolean detach() {
            stop();
            return false;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public void run() {
            RunOutcome outcome;
            try {
                prepare();
                outcome = stopRequested ? new RunOutcome.Stopped(OptionalInt.empty()) : execute();
            } catch (AtelierException e) {
                outcome = RunOutcome.failed(e.getMessage());
            } catch (IOException | RuntimeException e) {
                // Whatever goes wrong, the run must end: a domain waiting for it would wait forever.
                outcome = RunOutcome.failed("Could not run the " + spec.id().owner() + ": " + e);
            }
            try {
                listener.ended(outcome, Optional.of(workingDir.resolve("outputs")));
            } finally {
                Folders.deleteQuietly(folder);
                ended = true;
            }
        }

        private void prepare() throws IOException {
            local.checkAllowed();
            Folders.deleteQuietly(folder);
            Files.createDirectories(workingDir);
            for (Staged staged : spec.staged()) {
                switch (staged) {
                    case Staged.Code code -> code.local().fill(workingDir);
                    case Staged.Input input -> input.local().fill(inputs.resolve(input.name()));
                }
            }
            Path outputs = workingDir.resolve("outputs");
            Files.createDirectories(outputs);
            for (String output : spec.outputFolders()) {
                Files.createDirectories(outputs.resolve(output));
            }
            // A process environment names a program on the host; others are built here (or reused) and run in.
            environment = spec.environment().flatMap(env -> switch (env.kind()) {
                case PROCESS -> {
                    checkExecutable(env);
                    yield Optional.<PreparedEnvironment>empty();
                }
                case PYTHON, IMAGE -> Optional.of(local.environments().prepare(env, line -> listener.log("system", line)));
                case ATELIER -> Optional.of(local.atelierRuntime().prepare());
            });
        }

        /** A process environment's executable must be on the workloads' PATH (or an absolute path they see). */
        private void checkExecutable(Environment environment) {
            if (environment.kind() != EnvironmentKind.PROCESS) {
                throw AtelierException.invalidParameter("Environment " + environment.reference() + " is not a process environment");
            }
            String executable = environment.executable().orElseThrow();
            if (!local.canRun(executable)) {
                throw AtelierException.invalidParameter("Environment " + environment.reference() + " needs '" + executable
                        + "', which local workloads cannot run: it is not on their PATH (" + LocalCompute.PATH
                        + ") or, as an absolute path, not in a system folder");
            }
        }

        private RunOutcome execute() throws IOException {
            listener.log("system", "[atelier] Starting: " + spec.command());
            Workload workload = new Workload(spec.id().describe(), Workload.Kind.RUN_TO_COMPLETION,
                    List.of("/bin/sh", "-c", spec.command()), folder, workingDir, spec.variables(), List.of());
            // A built environment: its bin first on PATH, its folder bound read-only.
            Process process = local.start(environment.map(prepared -> prepared.applyTo(workload)).orElse(workload));
            long startNanos = System.nanoTime();
            listener.started();
            Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout"));
            Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr"));
            try {
                while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (stopRequested) {
                        ProcessTree.kill(process);
                        joinQuietly(out, err);
                        return new RunOutcome.Stopped(OptionalInt.empty());
                    }
                    if (spec.timeout().isPresent() && System.nanoTime() - startNanos > spec.timeout().get().toNanos()) {
                        ProcessTree.kill(process);
                        joinQuietly(out, err);
                        return RunOutcome.failed("Timed out: still running after limits.timeout of " + spec.timeout().get().toSeconds() + " s");
                    }
                }
            } catch (InterruptedException e) {
                ProcessTree.kill(process);
                Thread.currentThread().interrupt();
                return RunOutcome.failed("The server shut down while the " + spec.id().owner() + " was running");
            }
            joinQuietly(out, err);
            int exit = process.exitValue();
            if (stopRequested) {
                return new RunOutcome.Stopped(OptionalInt.of(exit));
            }
            return exit == 0 ? new RunOutcome.Succeeded() : new RunOutcome.Failed(OptionalInt.of(exit), "Exit code " + exit);
        }

        private void pump(InputStream stream, String name) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    listener.log(name, line);
                }
            } catch (IOException e) {
                listener.log("system", "[atelier] " + name + " closed: " + e.getMessage());
            }
        }
    }

    private static void joinQuietly(Thread... threads) {
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
