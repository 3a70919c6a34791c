package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Job;
import dev.atelier.sdk.JobDocuments;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pipelines benchmark (bench/README.md, issue 14): the scheduling overhead per step of a chain of no-op steps (a
 * step's job ended → the next step's process started, from the server's job times), the wall time of a wide fan-out of
 * 1-second steps on {@code local} with concurrency 2, and the reuse check of a whole chain (a re-submission whose every
 * step is reused: the pipeline's start → end). Runs a server in this JVM over a fresh data directory and talks to it
 * through the SDK. Prints a markdown table on standard output.
 *
 * <p>Arguments: {@code [--chain N] [--fan-out N]}.
 */
public final class PipelinesBenchmark {
    private PipelinesBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int chain = BenchSupport.intArg(args, "--chain", 100);
        int fanOut = BenchSupport.intArg(args, "--fan-out", 50);
        Path work = Files.createTempDirectory("atelier-pipelines-bench");
        System.out.println("| scenario | target | result |");
        System.out.println("|---|---|---|");
        ServerConfig config = ServerConfig.forTests(work.resolve("data"));
        config = config.withJobs(config.jobs().withLocalMaxConcurrentJobs(2));
        try (AtelierServer server = AtelierServer.start(config);
             AtelierClient client = AtelierClient.connect(server.url())) {
            Job first = run(client, chain("bench-chain", chain, true));
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < chain; i++) {
                JsonNode previous = client.jobs().get("bench-chain-s" + (i - 1)).json();
                JsonNode next = client.jobs().get("bench-chain-s" + i).json();
                gaps.add(next.path("started_at").asLong() - previous.path("ended_at").asLong());
            }
            System.out.printf("| %d-step chain of no-op steps: step end → next step start (%s) | ≤ 100 ms p50 | p50 %d ms, p95 %d ms, "
                    + "max %d ms; whole pipeline %.1f s |%n", chain, first.status(), BenchSupport.percentile(gaps, 50), BenchSupport.percentile(gaps, 95),
                    BenchSupport.percentile(gaps, 100), seconds(first));

            Job reused = run(client, chain("bench-chain-again", chain, false));
            System.out.printf("| reuse check of a %d-step pipeline (every step Reused: pipeline start → end, %s, %s steps reused) "
                    + "| ≤ 200 ms | %d ms |%n", chain, reused.status(), reused.json().path("result").path("reused_steps").asText(),
                    reused.json().path("ended_at").asLong() - reused.json().path("started_at").asLong());

            Job wide = run(client, fanOut("bench-fan-out", fanOut));
            double ideal = fanOut / 2.0;
            System.out.printf("| %d-wide fan-out of 1 s steps on local, concurrency 2 (%s) | within 10 %% of %.0f s | %.1f s (%+.1f %%) |%n",
                    fanOut, wide.status(), ideal, seconds(wide), (seconds(wide) - ideal) / ideal * 100);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Steps {@code s0 → s1 → … }, each writing a one-line output the next one reads. */
    private static String chain(String name, int steps, boolean forceRerun) {
        StringBuilder yaml = new StringBuilder("type: pipeline\nname: " + name + "\nsettings:\n  force_rerun: " + forceRerun + "\njobs:\n");
        for (int i = 0; i < steps; i++) {
            yaml.append("  s").append(i).append(":\n")
                    .append("    command: mkdir -p ${{outputs.out}} && echo bench-").append(i).append(" > ${{outputs.out}}/v.txt\n")
                    .append("    outputs:\n      out:\n");
            if (i > 0) {
                yaml.append("    inputs:\n      previous: ${{parent.jobs.s").append(i - 1).append(".outputs.out}}\n");
            }
        }
        return yaml.toString();
    }

    private static String fanOut(String name, int steps) {
        StringBuilder yaml = new StringBuilder("type: pipeline\nname: " + name + "\nsettings:\n  force_rerun: true\njobs:\n");
        for (int i = 0; i < steps; i++) {
            yaml.append("  w").append(i).append(":\n    command: sleep 1\n");
        }
        return yaml.toString();
    }

    private static Job run(AtelierClient client, String yaml) {
        Job job = client.jobs().create(JobDocuments.parse(yaml));
        while (!job.ended()) {
            BenchSupport.sleep(20);
            job = client.jobs().get(job.name());
        }
        return job;
    }

    private static double seconds(Job job) {
        return (job.json().path("ended_at").asLong() - job.json().path("started_at").asLong()) / 1000.0;
    }
}
