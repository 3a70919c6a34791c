package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.compute.LocalLimits;
import dev.atelier.server.config.AbuseConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.config.Version;
import dev.atelier.server.data.EndpointAllowList;
import dev.atelier.server.http.TrustedProxies;
import dev.atelier.server.jobs.JobsConfig;
import dev.atelier.server.logging.LogOutput;
import dev.atelier.server.retention.RetentionConfig;
import dev.atelier.server.schedules.CatchUp;
import dev.atelier.server.uploads.UploadLimits;
import dev.atelier.server.compute.local.PipSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Option(names = "--auth", description = "Require credentials on every route but health, version and login "
            + "(needed to listen on anything but loopback). The first start creates the admin user 'admin', with the password "
            + "from $ATELIER_ADMIN_PASSWORD or a generated one printed once.")
    boolean auth;

    @Option(names = "--trusted-proxies", paramLabel = "ADDRESSES", defaultValue = "${env:ATELIER_TRUSTED_PROXIES}",
            description = "Reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client; the "
                    + "right-most address that is not one of them is the client address the login throttle and the audit log "
                    + "use. Without it X-Forwarded-For is ignored (default: $ATELIER_TRUSTED_PROXIES).")
    String trustedProxies;

    @Option(names = "--metrics-token", paramLabel = "TOKEN", defaultValue = "${env:ATELIER_METRICS_TOKEN}",
            description = "With --auth, a bearer token (16 characters or more) that may read /metrics, besides server "
                    + "admins; prefer the environment variable (default: $ATELIER_METRICS_TOKEN).")
    String metricsToken;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Also serve /metrics alone, without credentials, on 127.0.0.1:PORT (for a Prometheus agent on this host).")
    Integer metricsPort;

    @Option(names = "--audit-retention", paramLabel = "DURATION", defaultValue = "365d",
            description = "Delete audit events older than this (gc and a daily run): 365d, 90d, 12h; 'forever' keeps "
                    + "them all (default: ${DEFAULT-VALUE}).")
    String auditRetention;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:ATELIER_LOG_FORMAT:-text}",
            description = "How log lines are written to standard error: text, or json (one object per line with ts, level, "
                    + "logger, msg and the request's fields) (env ATELIER_LOG_FORMAT; default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--retention-endpoint-metrics", paramLabel = "DURATION", defaultValue = "${env:ATELIER_RETENTION_ENDPOINT_METRICS:-30d}",
            description = "gc deletes online endpoints' metric minutes older than this; 'forever' keeps them "
                    + "(env ATELIER_RETENTION_ENDPOINT_METRICS; default: ${DEFAULT-VALUE}).")
    String retentionEndpointMetrics;

    @Option(names = "--retention-request-logs", paramLabel = "DURATION", defaultValue = "${env:ATELIER_RETENTION_REQUEST_LOGS:-30d}",
            description = "gc deletes online endpoints' request-log versions whose last request is older than this; 'forever' "
                    + "keeps them (env ATELIER_RETENTION_REQUEST_LOGS; default: ${DEFAULT-VALUE}).")
    String retentionRequestLogs;

    @Option(names = "--retention-job-files", paramLabel = "DURATION", defaultValue = "${env:ATELIER_RETENTION_JOB_FILES:-30d}",
            description = "gc deletes the local working folders of jobs that ended longer ago than this; 'forever' keeps them "
                    + "(env ATELIER_RETENTION_JOB_FILES; default: ${DEFAULT-VALUE}).")
    String retentionJobFiles;

    @Option(names = "--local-max-jobs", paramLabel = "N", defaultValue = "" + JobsConfig.DEFAULT_LOCAL_MAX_CONCURRENT_JOBS,
            description = "Jobs run at once on the 'local' compute target; more wait in a FIFO queue (default: ${DEFAULT-VALUE}).")
    int localMaxJobs;

    @Option(names = "--snapshot-max-bytes", paramLabel = "BYTES", defaultValue = "" + JobsConfig.DEFAULT_SNAPSHOT_MAX_BYTES,
            description = "Largest code snapshot a job may upload (default: ${DEFAULT-VALUE}).")
    long snapshotMaxBytes;

    @Option(names = "--schedule-catch-up", paramLabel = "last|none", defaultValue = "last",
            description = "What a starting server does with schedules' due times that passed while no server ran: 'last' fires the "
                    + "latest of them once, 'none' fires none (default: ${DEFAULT-VALUE}).")
    String scheduleCatchUp;

    @Option(names = "--upload-expiry", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Remove an unfinished data upload session that received no chunk, and a snapshot blob no snapshot "
                    + "refers to that was not used, for this long: 24h, 90m, 7d (default: ${DEFAULT-VALUE}).")
    Duration uploadExpiry;

    @Option(names = "--workspace-upload-quota", paramLabel = "BYTES", defaultValue = "" + UploadLimits.DEFAULT_WORKSPACE_QUOTA_BYTES,
            description = "Most bytes of unfinished uploads and unreferenced snapshot blobs one workspace may hold; an upload "
                    + "over it is refused with 413 (default: ${DEFAULT-VALUE}, 10 GiB).")
    long workspaceUploadQuota;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:ATELIER_PUBLIC_URL}",
            description = "URL Kubernetes pods use to reach this server (default: $ATELIER_PUBLIC_URL, else the listening URL).")
    String publicUrl;

    // Browser-origin protection (docs/security.md).
    @Option(names = "--allowed-hosts", paramLabel = "HOST[,HOST...]", split = ",", defaultValue = "${env:ATELIER_ALLOWED_HOSTS}",
            description = "Host names (name, name:port, *.domain) answered besides loopback, the --host address and the "
                    + "--public-url host; others get 403 (DNS rebinding). '*' answers every name: unsafe "
                    + "(default: $ATELIER_ALLOWED_HOSTS).")
    List<String> allowedHosts;

    @Option(names = "--cors-allowed-origins", paramLabel = "ORIGIN[,ORIGIN...]", split = ",",
            defaultValue = "${env:ATELIER_CORS_ALLOWED_ORIGINS}",
            description = "Origins (https://app.example) whose web pages may call the API besides the server's own; other "
                    + "pages' changes get 403 (default: $ATELIER_CORS_ALLOWED_ORIGINS).")
    List<String> corsAllowedOrigins;
    @Option(names = "--kubernetes-fetch-image", paramLabel = "IMAGE", defaultValue = ConnectionsConfig.DEFAULT_KUBERNETES_FETCH_IMAGE,
            description = "Image of the init container that downloads code and models into pods on Kubernetes targets; needs wget "
                    + "and unzip (default: ${DEFAULT-VALUE}).")
    String kubernetesFetchImage;

    @Option(names = "--kubeconfig-dir", paramLabel = "DIR", description = "Folder of the kubeconfig files Kubernetes compute targets "
            + "may name (by a path relative to it); without it targets take their kubeconfig from a workspace secret or use "
            + "the server's own configuration. S3 datastore endpoints on private addresses: $" + EndpointAllowList.VARIABLE + "; MLflow webhook URLs: $"
            + EndpointAllowList.WEBHOOK_VARIABLE + ".")
    Path kubeconfigDir;

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
        try {
            LogOutput.format(LogOutput.parseFormat(logFormat));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--log-format': " + e.getMessage());
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': must be between 0 and 65535, got " + port);
        }
        ServerConfig config = new ServerConfig(host, port, dataDir.toAbsolutePath().normalize(),
                Optional.ofNullable(databaseUrl).filter(url -> !url.isBlank()),
                Optional.ofNullable(artifactsDir).map(dir -> dir.toAbsolutePath().normalize()),
                SecurityConfig.fromEnvironment(auth).withAbuse(abuseConfig()).withOrigins(new SecurityConfig.Origins(nonBlank(allowedHosts),
                        nonBlank(corsAllowedOrigins))));
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
        config = config.withScheduleCatchUp(CatchUp.parse(scheduleCatchUp.strip()).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "Invalid value for option '--schedule-catch-up': use last or none, got '" + scheduleCatchUp + "'")));
        if (uploadExpiry.toMillis() < 1 || workspaceUploadQuota < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--upload-expiry' or "
                    + "'--workspace-upload-quota': must be positive");
        }
        config = config.withUploads(new UploadLimits(uploadExpiry, workspaceUploadQuota));
        config = config.withRetention(new RetentionConfig(window("--retention-endpoint-metrics", retentionEndpointMetrics),
                window("--retention-request-logs", retentionRequestLogs), window("--retention-job-files", retentionJobFiles)));
        try {
            ConnectionsConfig connections = ConnectionsConfig.DEFAULTS.withKubernetesFetchImage(kubernetesFetchImage.strip())
                    .withDatastoreEndpoints(EndpointAllowList.parse(System.getenv(EndpointAllowList.VARIABLE)))
                    .withWebhookEndpoints(EndpointAllowList.parse(EndpointAllowList.WEBHOOK_VARIABLE,
                            System.getenv(EndpointAllowList.WEBHOOK_VARIABLE)));
            config = config.withConnections(kubeconfigDir == null ? connections : connections.withKubeconfigDir(kubeconfigDir));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid server configuration: " + e.getMessage());
        }
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
        if (metricsPort != null) {
            out.println("  metrics:        http://127.0.0.1:" + metricsPort + "/metrics");
        }
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

    /** A retention window: a positive duration, or 'forever' (empty); a bad value is a usage error naming its flag. */
    private Optional<java.time.Duration> window(String option, String value) {
        String text = value.strip();
        if (text.equalsIgnoreCase("forever")) {
            return Optional.empty();
        }
        try {
            java.time.Duration window = new DurationConverter().convert(text);
            if (window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("must be positive");
            }
            return Optional.of(window);
        } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage()
                    + " (a positive duration such as 30d, or 'forever')");
        }
    }

    /** --trusted-proxies, --metrics-token, --metrics-port and --audit-retention; a bad value is a usage error naming its flag. */
    private AbuseConfig abuseConfig() {
        AbuseConfig abuse = AbuseConfig.DEFAULTS;
        try {
            abuse = abuse.withTrustedProxies(TrustedProxies.parse(trustedProxies));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--trusted-proxies': " + e.getMessage());
        }
        String retention = auditRetention.strip();
        try {
            abuse = abuse.withAuditRetention(retention.equalsIgnoreCase("forever") ? Optional.empty()
                    : Optional.of(new DurationConverter().convert(retention)));
        } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--audit-retention': " + e.getMessage()
                    + " (a positive duration such as 365d, or 'forever')");
        }
        try {
            abuse = abuse.withMetricsToken(metricsToken);
            return metricsPort == null ? abuse : abuse.withMetricsPort(metricsPort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--metrics-token' or '--metrics-port': "
                    + e.getMessage());
        }
    }

    /**
     * --work-dir, --allow-unsandboxed-local-compute and --local-compute, and where environment builds find packages
     * (ATELIER_PIP_INDEX_URL, ATELIER_PIP_FIND_LINKS); a bad value is a usage error naming its flag or variable.
     */
    private LocalComputeConfig localComputeConfig() {
        LocalComputeConfig local = LocalComputeConfig.DEFAULTS.withAllowUnsandboxed(allowUnsandboxed);
        try {
            local = local.withLimits(LocalLimits.parse(localCompute));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--local-compute': " + e.getMessage());
        }
        try {
            local = local.withPip(PipSources.fromVariables(System.getenv()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid environment variable " + e.getMessage());
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

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::strip).filter(value -> !value.isEmpty()).toList();
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
