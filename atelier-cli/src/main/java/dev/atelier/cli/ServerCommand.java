package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.JobsConfig;
import dev.atelier.server.SecurityConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.Version;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.compute.local.LocalLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code atelier server}: starts the server in this process and serves until the process is
 * stopped. Ctrl-C (SIGINT) or SIGTERM runs a shutdown hook that lets in-flight requests finish
 * and closes the database.
 */
@Command(name = "server",
        description = "Start the Atelier server and serve until stopped with Ctrl-C.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:stopped normally",
                " 1:could not start: the port is in use",
                " 2:usage error: unknown option, missing or malformed value",
                " 4:could not start for another reason (database not reachable, data directory not writable); "
                        + "the reason is printed"})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./atelier-data",
            description = "Folder of the SQLite database and, unless --artifacts-dir is given, the artifacts (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", defaultValue = "${env:ATELIER_DATABASE_URL}",
            description = "A jdbc:postgresql://host/db?user=...&password=... URL to keep metadata in PostgreSQL instead of "
                    + "SQLite (default: $ATELIER_DATABASE_URL, else SQLite in --data-dir).")
    String databaseUrl;

    @Option(names = "--artifacts-dir", paramLabel = "DIR",
            description = "Folder of the local artifact store (default: <data-dir>/artifacts).")
    Path artifactsDir;

    @Option(names = "--artifacts-uri", paramLabel = "URI", defaultValue = "${env:ATELIER_ARTIFACTS_URI}",
            description = "s3://bucket/prefix to keep artifacts (and data on the default datastore) in an S3-compatible "
                    + "bucket instead of --artifacts-dir; endpoint from $ATELIER_S3_ENDPOINT, region from $AWS_REGION, "
                    + "credentials from $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY (default: $ATELIER_ARTIFACTS_URI).")
    String artifactsUri;

    @Option(names = "--auth", description = "Require credentials on every route but health, version, metrics and login "
            + "(needed to listen on anything but loopback). The first start creates the admin user 'admin', with the password "
            + "from $ATELIER_ADMIN_PASSWORD or a generated one printed once.")
    boolean auth;

    @Option(names = "--local-max-jobs", paramLabel = "N", defaultValue = "" + JobsConfig.DEFAULT_LOCAL_MAX_CONCURRENT_JOBS,
            description = "Jobs run at once on the 'local' compute target; more wait in a FIFO queue (default: ${DEFAULT-VALUE}).")
    int localMaxJobs;

    @Option(names = "--snapshot-max-bytes", paramLabel = "BYTES", defaultValue = "" + JobsConfig.DEFAULT_SNAPSHOT_MAX_BYTES,
            description = "Largest code snapshot a job may upload (default: ${DEFAULT-VALUE}).")
    long snapshotMaxBytes;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:ATELIER_PUBLIC_URL}",
            description = "URL Kubernetes pods use to reach this server (default: $ATELIER_PUBLIC_URL, else the listening URL).")
    String publicUrl;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Folder of local workloads' folders (jobs, scoring-script "
            + "workers); never inside --data-dir (default: <temp dir>/atelier-work-<hash of the data directory>).")
    Path workDir;

    @Option(names = "--allow-unsandboxed-local-compute", description = "With --auth on a host where local workloads cannot be "
            + "sandboxed (no working bubblewrap, not Linux): run them anyway, with a clean environment only, instead of refusing "
            + "them. They can then read whatever this server's OS user can.")
    boolean allowUnsandboxed;

    @Option(names = "--local-compute", paramLabel = "KEY=VALUE", description = "A limit of every workload on the 'local' target, "
            + "repeatable: network=false, max_memory_mb=N (address space), max_cpu_seconds=N, max_processes=N (default: network, "
            + "no limits).")
    java.util.Map<String, String> localCompute = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': must be between 0 and 65535, got " + port);
        }
        ServerConfig config = new ServerConfig(host, port, dataDir.toAbsolutePath().normalize(),
                Optional.ofNullable(databaseUrl).filter(url -> !url.isBlank()),
                Optional.ofNullable(artifactsDir).map(dir -> dir.toAbsolutePath().normalize()),
                SecurityConfig.fromEnvironment(auth));
        if (artifactsUri != null && !artifactsUri.isBlank()) {
            try {
                config = config.withArtifactsS3(S3Settings.fromUri(artifactsUri.trim(), System.getenv()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--artifacts-uri': " + e.getMessage());
            }
        }
        if (localMaxJobs < 1 || snapshotMaxBytes < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--local-max-jobs' or '--snapshot-max-bytes': "
                    + "must be positive");
        }
        JobsConfig jobs = JobsConfig.DEFAULTS.withLocalMaxConcurrentJobs(localMaxJobs).withSnapshotMaxBytes(snapshotMaxBytes)
                .withLocal(localComputeConfig());
        config = config.withJobs(publicUrl == null || publicUrl.isBlank() ? jobs : jobs.withPublicUrl(publicUrl.strip()));
        AtelierServer server;
        try {
            server = AtelierServer.start(config);
        } catch (RuntimeException e) {
            return startFailed(e, err);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                out.println("Atelier stopped.");
                out.flush();
            } finally {
                stopped.countDown();
            }
        }, "atelier-shutdown"));
        out.println("Atelier " + Version.current() + " listening on " + server.url());
        out.println("  data directory: " + server.dataDir());
        out.println("  database:       " + server.database().displayUrl());
        out.println("  artifacts:      " + config.artifactsLocation());
        out.println("  authentication: " + (auth ? "on" : "off"));
        out.println("  local compute:  " + server.localCompute().describe());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return ExitCodes.OK;
    }

    private LocalComputeConfig localComputeConfig() {
        LocalComputeConfig local = LocalComputeConfig.DEFAULTS.withAllowUnsandboxed(allowUnsandboxed);
        try {
            local = local.withLimits(LocalLimits.parse(localCompute));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--local-compute': " + e.getMessage());
        }
        return workDir == null ? local : local.withWorkDir(workDir.toAbsolutePath().normalize());
    }

    private int startFailed(RuntimeException e, PrintWriter err) {
        if (hasCause(e, BindException.class)) {
            err.println("atelier: cannot start the server: port " + port + " on " + host
                    + " is already in use; stop the other process or choose another port with --port");
            err.flush();
            return 1;
        }
        err.println("atelier: cannot start the server: " + rootMessage(e));
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The message of the innermost cause that has one, which is usually the one that says what to fix. */
    private static String rootMessage(Throwable e) {
        String message = e.toString();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        return message;
    }
}
