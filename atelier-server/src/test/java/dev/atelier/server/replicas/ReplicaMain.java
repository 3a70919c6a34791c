package dev.atelier.server.replicas;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.jobs.JobsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The server process of one replica: what {@code atelier server --database-url URL --artifacts-uri s3://...} starts,
 * with the job lease as a flag so that a fail-over test need not wait 30 s (the CLI, a module downstream of this one,
 * cannot be started from here). Flags: {@code --data-dir DIR --database-url URL --artifacts-uri s3://bucket/prefix
 * [--job-lease-ms N]}; the S3 endpoint and credentials and the master key ({@code ATELIER_MASTER_KEY}, which every
 * server sharing a database needs the same of) come from the environment, as for the CLI. Prints
 * {@code listening on URL} once it serves, then serves until killed.
 */
public final class ReplicaMain {
    static final String READY_LINE = "listening on ";

    private ReplicaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        ServerConfig config = ServerConfig.forTests(Path.of(flags.get("--data-dir")))
                .withDatabaseUrl(flags.get("--database-url"))
                .withSecurity(SecurityConfig.fromEnvironment(false))
                .withArtifactsS3(S3Settings.fromUri(flags.get("--artifacts-uri"), System.getenv()))
                .withJobs(JobsConfig.DEFAULTS.withLease(Duration.ofMillis(Long.parseLong(flags.getOrDefault("--job-lease-ms", "30000")))));
        AtelierServer server = AtelierServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "replica-stop"));
        System.out.println(READY_LINE + server.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
