package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The limits of every workload on the {@code local} target, set with the server's {@code --local-compute KEY=VALUE}
 * options and shown as the target's properties. Applied with {@code prlimit} (util-linux) to the workload's process,
 * inherited by everything it starts:
 *
 * @param network       whether a run-to-completion workload (a job) has network; {@code false} gives it an empty network
 *                      namespace, so it cannot reach the tracking server either. Scoring workers keep the host's
 *                      network: the server reaches them over loopback.
 * @param maxMemoryMb   {@code RLIMIT_AS}: the address space of each process, not its resident memory (a JVM or a
 *                      BLAS library reserves far more than it uses; set it generously); empty means none
 * @param maxCpuSeconds {@code RLIMIT_CPU}: CPU time of each process (SIGXCPU, then SIGKILL); empty means none
 * @param maxProcesses  {@code RLIMIT_NPROC}: processes and threads of the workload's user id. In the sandbox as
 *                      root each workload has a user id of its own, so this bounds the workload; otherwise the
 *                      count includes every process of the server's user. Empty means none.
 */
public record LocalLimits(boolean network, @JsonIgnore Optional<Long> maxMemoryMb, @JsonIgnore Optional<Long> maxCpuSeconds,
                          @JsonIgnore Optional<Long> maxProcesses) {
    /** Network on, no limits. */
    public static final LocalLimits NONE = new LocalLimits(true, Optional.empty(), Optional.empty(), Optional.empty());

    public LocalLimits {
        requireNonNull(maxMemoryMb, "maxMemoryMb is null");
        requireNonNull(maxCpuSeconds, "maxCpuSeconds is null");
        requireNonNull(maxProcesses, "maxProcesses is null");
    }

    /**
     * Reads {@code network}, {@code max_memory_mb}, {@code max_cpu_seconds} and {@code max_processes}.
     *
     * @throws IllegalArgumentException naming the key when one is unknown or its value is not a positive whole number
     *                                  ({@code true}/{@code false} for {@code network})
     */
    public static LocalLimits parse(Map<String, String> properties) {
        LocalLimits limits = NONE;
        for (var entry : properties.entrySet()) {
            String value = entry.getValue().strip();
            limits = switch (entry.getKey()) {
                case "network" -> new LocalLimits(bool(entry.getKey(), value), limits.maxMemoryMb, limits.maxCpuSeconds, limits.maxProcesses);
                case "max_memory_mb" -> new LocalLimits(limits.network, positive(entry.getKey(), value), limits.maxCpuSeconds, limits.maxProcesses);
                case "max_cpu_seconds" -> new LocalLimits(limits.network, limits.maxMemoryMb, positive(entry.getKey(), value), limits.maxProcesses);
                case "max_processes" -> new LocalLimits(limits.network, limits.maxMemoryMb, limits.maxCpuSeconds, positive(entry.getKey(), value));
                default -> throw new IllegalArgumentException("unknown local compute property '" + entry.getKey()
                        + "'; known: network, max_memory_mb, max_cpu_seconds, max_processes");
            };
        }
        return limits;
    }

    /** Whether any resource limit is set (they need {@code prlimit}). */
    public boolean anyLimit() {
        return maxMemoryMb.isPresent() || maxCpuSeconds.isPresent() || maxProcesses.isPresent();
    }

    /** The {@code prlimit} options that set these limits (soft and hard alike). */
    public List<String> prlimitOptions() {
        List<String> options = new ArrayList<>();
        maxMemoryMb.ifPresent(mb -> options.add("--as=" + mb * 1024 * 1024));
        maxCpuSeconds.ifPresent(seconds -> options.add("--cpu=" + seconds));
        maxProcesses.ifPresent(count -> options.add("--nproc=" + count));
        return options;
    }

    @JsonProperty("max_memory_mb")
    Long maxMemoryMbOrNull() {
        return maxMemoryMb.orElse(null);
    }

    @JsonProperty("max_cpu_seconds")
    Long maxCpuSecondsOrNull() {
        return maxCpuSeconds.orElse(null);
    }

    @JsonProperty("max_processes")
    Long maxProcessesOrNull() {
        return maxProcesses.orElse(null);
    }

    private static boolean bool(String key, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("local compute property '" + key + "' must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static Optional<Long> positive(String key, String value) {
        try {
            long number = Long.parseLong(value);
            if (number > 0 && number < Long.MAX_VALUE / (1024 * 1024)) {
                return Optional.of(number);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("local compute property '" + key + "' must be a positive whole number, was '" + value + "'");
    }
}
