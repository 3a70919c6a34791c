package dev.atelier.server.replicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The replicas benchmark (bench/run-replicas.sh): throughput of runs/create, log-batch and search through the balancer
 * with 1, 2 and 3 servers on PostgreSQL, the servers' CPU time, fail-over time after a replica is killed, recovery
 * time after a PostgreSQL restart, and a soak (many clients for a while: errors, p99, memory and open files of each
 * server at its start and end). Flags: {@code --clients N} (16), {@code --seconds N} (20 per measurement),
 * {@code --soak-clients N} (200), {@code --soak-seconds N} (600; 0 skips it). Prints a Markdown report.
 */
public final class ReplicaBench {
    private ReplicaBench() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 16;
        int seconds = 20;
        int soakClients = 200;
        int soakSeconds = 600;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--clients" -> clients = value;
                case "--seconds" -> seconds = value;
                case "--soak-clients" -> soakClients = value;
                case "--soak-seconds" -> soakSeconds = value;
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        System.out.println("| servers | clients | runs/create per s | log-batch per s | search per s | p50 / p99 log-batch ms | errors | servers' CPU s per wall s | load average |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int servers = 1; servers <= 3 && seconds > 0; servers++) {
            try (ReplicaCluster cluster = ReplicaCluster.start(servers, 30_000)) {
                throughput(cluster, servers, clients, seconds);
            }
        }
        try (ReplicaCluster cluster = seconds > 0 ? ReplicaCluster.start(2, 30_000) : null) {
            if (cluster == null) {
                System.out.println("(throughput, fail-over and restart skipped: --seconds 0)");
            } else {
                failover(cluster, clients);
                postgresRestart(cluster, clients);
            }
        }
        if (soakSeconds > 0) {
            try (ReplicaCluster cluster = ReplicaCluster.start(2, 30_000)) {
                soak(cluster, soakClients, soakSeconds);
            }
        }
    }

    private static void throughput(ReplicaCluster cluster, int servers, int clients, int seconds) throws Exception {
        warmUp(cluster, clients, 5);
        double cpuBefore = cpuSeconds(cluster);
        String loadBefore = loadAverage();
        long start = System.nanoTime();
        TrackingLoad load = new TrackingLoad(cluster.balancer().url()).start(clients, 5);
        Thread.sleep(seconds * 1_000L);
        load.stop();
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = cpuSeconds(cluster) - cpuBefore;
        List<Long> batches = load.latencies("runs/log-batch");
        System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.0f | %.1f / %.1f | %d | %.2f | %s → %s |%n", servers, clients,
                load.latencies("runs/create").size() / wall, batches.size() / wall, load.latencies("runs/search").size() / wall,
                percentile(batches, 0.50), percentile(batches, 0.99), load.failures().size(), cpu / wall, loadBefore, loadAverage());
    }

    private static void failover(ReplicaCluster cluster, int clients) throws Exception {
        try (TrackingLoad load = new TrackingLoad(cluster.balancer().url()).start(clients, 5)) {
            Thread.sleep(5_000);
            long killed = System.nanoTime();
            cluster.replicas().get(1).kill();
            Thread.sleep(5_000);
            load.stop();
            long lastFailure = load.failureTimes().stream().mapToLong(Long::longValue).max().orElse(killed);
            System.out.printf(Locale.ROOT, "%nFail-over (2 servers, %d clients, one SIGKILLed): %d requests failed (502 from the "
                            + "balancer), the last %.0f ms after the kill; acknowledged writes checked afterwards: %d (none lost); "
                            + "load average %s%n", clients, load.failures().size(), Math.max(0, lastFailure - killed) / 1e6,
                    TrackingLoad.verifyStored(cluster.http(), load.acknowledged()), loadAverage());
        }
    }

    private static void postgresRestart(ReplicaCluster cluster, int clients) throws Exception {
        try (TrackingLoad load = new TrackingLoad(cluster.balancer().url()).start(clients, 5)) {
            Thread.sleep(3_000);
            long stopped = System.nanoTime();
            cluster.stopPostgres();
            Thread.sleep(2_000);
            cluster.restartPostgres();
            long restarted = System.nanoTime();
            Thread.sleep(15_000);
            load.stop();
            long lastFailure = load.failureTimes().stream().mapToLong(Long::longValue).max().orElse(restarted);
            long statuses = load.failures().stream().filter(failure -> failure.status() != 503).count();
            System.out.printf(Locale.ROOT, "%nPostgreSQL restart (2 servers, %d clients; stopped for %.1f s): %d answers 503, %d "
                            + "other failures; last failure %.0f ms after PostgreSQL accepted connections again; acknowledged "
                            + "writes checked: %d; load average %s%n", clients, (restarted - stopped) / 1e9,
                    load.failures().size() - statuses, statuses, Math.max(0, lastFailure - restarted) / 1e6,
                    TrackingLoad.verifyStored(cluster.http(), load.acknowledged()), loadAverage());
        }
    }

    private static void soak(ReplicaCluster cluster, int clients, int seconds) throws Exception {
        List<String> before = new ArrayList<>();
        warmUp(cluster, clients, 10);
        cluster.replicas().forEach(replica -> before.add(resources(replica)));
        double cpuBefore = cpuSeconds(cluster);
        long start = System.nanoTime();
        TrackingLoad load = new TrackingLoad(cluster.balancer().url()).start(clients, 5);
        Thread.sleep(seconds * 1_000L);
        load.stop();
        double wall = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (String operation : List.of("runs/create", "runs/log-batch", "runs/search")) {
            all.addAll(load.latencies(operation));
        }
        System.out.printf(Locale.ROOT, "%nSoak: %d clients for %d s on 2 servers: %d calls (%.0f per s), %d errors, p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms; servers' CPU %.0f s; load average %s%n", clients, seconds, all.size(),
                all.size() / wall, load.failures().size(), percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1.0),
                cpuSeconds(cluster) - cpuBefore, loadAverage());
        load.failures().stream().collect(java.util.stream.Collectors.groupingBy(
                        failure -> failure.status() + " " + failure.body().substring(0, Math.min(120, failure.body().length())),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                .forEach((kind, count) -> System.out.printf("  %d × %s%n", count, kind));
        for (int i = 0; i < cluster.replicas().size(); i++) {
            System.out.printf("  server %d: start %s; end %s%n", i, before.get(i), resources(cluster.replicas().get(i)));
        }
    }

    private static void warmUp(ReplicaCluster cluster, int clients, int seconds) throws InterruptedException {
        TrackingLoad warm = new TrackingLoad(cluster.balancer().url()).start(clients, 5);
        Thread.sleep(seconds * 1_000L);
        warm.stop();
    }

    /** Resident memory and open files of a server process, from /proc. */
    private static String resources(Replica replica) {
        try {
            String rss = Files.readAllLines(Path.of("/proc/" + replica.pid() + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").substring(6).strip();
            long files;
            try (var fds = Files.list(Path.of("/proc/" + replica.pid() + "/fd"))) {
                files = fds.count();
            }
            return "RSS " + rss + ", " + files + " open files";
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static double cpuSeconds(ReplicaCluster cluster) {
        return cluster.replicas().stream().filter(Replica::alive)
                .mapToDouble(replica -> ProcessHandle.of(replica.pid()).flatMap(handle -> handle.info().totalCpuDuration())
                        .map(Duration::toMillis).orElse(0L) / 1000.0).sum();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static double percentile(List<Long> nanos, double quantile) {
        if (nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
