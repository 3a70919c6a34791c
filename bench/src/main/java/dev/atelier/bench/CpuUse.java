package dev.atelier.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * CPU time the server JVM and the benchmark JVM (the clients) spend over a timed scenario. Unlike
 * throughput, CPU per call hardly depends on what else the machine runs, so it tells whether a
 * change made the server cheaper even on a loaded machine.
 */
record CpuUse(ServerProcess server, Duration serverStart, Duration clientStart) {
    static CpuUse start(ServerProcess server) {
        return new CpuUse(server, server.cpuTime(), clientCpu());
    }

    /** "server CPU 0.52 ms per run, clients 0.20 ms" for {@code calls} calls since {@link #start}. */
    String perCall(long calls, String unit) {
        double serverMillis = server.cpuTime().minus(serverStart).toNanos() / 1e6 / calls;
        double clientMillis = clientCpu().minus(clientStart).toNanos() / 1e6 / calls;
        return String.format(Locale.ROOT, "server CPU %.2f ms per %s, clients %.2f ms", serverMillis, unit, clientMillis);
    }

    /** The server's CPU milliseconds per call for {@code calls} calls since {@link #start}. */
    double serverMillisPerCall(long calls) {
        return server.cpuTime().minus(serverStart).toNanos() / 1e6 / calls;
    }

    private static Duration clientCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for the bench"));
    }
}
