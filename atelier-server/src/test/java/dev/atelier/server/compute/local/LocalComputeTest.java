package dev.atelier.server.compute.local;

import dev.atelier.server.compute.SandboxMode;
import dev.atelier.server.compute.LocalLimits;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher itself: where workloads' folders may be, which limits apply, which mode is chosen. */
class LocalComputeTest {
    @TempDir
    Path dir;

    @Test
    void aWorkDirInsideTheDataDirectoryIsRefused() {
        Path data = dir.resolve("data");
        assertThatThrownBy(() -> LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(data.resolve("work")), data, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside the data directory");
        assertThatThrownBy(() -> LocalComputeConfig.DEFAULTS.withWorkDir(data).resolveWorkRoot(data))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultWorkRootIsOutsideTheDataDirectoryAndPerDataDirectory() {
        Path first = LocalComputeConfig.DEFAULTS.resolveWorkRoot(dir.resolve("a"));
        Path second = LocalComputeConfig.DEFAULTS.resolveWorkRoot(dir.resolve("b"));
        assertThat(first.startsWith(dir.resolve("a"))).isFalse();
        assertThat(first).isNotEqualTo(second);
        assertThat(first.getFileName().toString()).startsWith("atelier-work-");
    }

    @Test
    void limitsAreParsedWithTheirNamesAndBadOnesNamed() {
        LocalLimits limits = LocalLimits.parse(Map.of("network", "false", "max_memory_mb", "2048", "max_cpu_seconds", "60",
                "max_processes", "64"));
        assertThat(limits).isEqualTo(new LocalLimits(false, Optional.of(2048L), Optional.of(60L), Optional.of(64L)));
        assertThatThrownBy(() -> LocalLimits.parse(Map.of("max_memory", "1"))).hasMessageContaining("'max_memory'");
        assertThatThrownBy(() -> LocalLimits.parse(Map.of("max_cpu_seconds", "-1"))).hasMessageContaining("max_cpu_seconds");
        assertThatThrownBy(() -> LocalLimits.parse(Map.of("network", "no"))).hasMessageContaining("true or false");
    }

    @Test
    void aWorkloadRunsWithTheLimitsOfTheTarget() throws Exception {
        RequiredTool.require(LocalCompute.findOnPath("prlimit").isPresent(), "prlimit (util-linux)");
        LocalCompute local = start(LocalComputeConfig.DEFAULTS.withLimits(LocalLimits.parse(Map.of("max_memory_mb", "4096",
                "max_cpu_seconds", "600", "max_processes", "4000"))), false);
        String limits = run(local, "cat /proc/self/limits");
        assertThat(limits).containsPattern("Max address space\\s+4294967296\\s+4294967296")
                .containsPattern("Max cpu time\\s+600\\s+600").containsPattern("Max processes\\s+4000\\s+4000");
    }

    @Test
    void withoutSandboxAWorkloadStillGetsACleanEnvironmentAndWithAuthItIsRefused() throws Exception {
        LocalCompute open = start(LocalComputeConfig.DEFAULTS.withSandbox(LocalComputeConfig.Sandbox.NONE), false);
        assertThat(open.mode()).isEqualTo(SandboxMode.UNSANDBOXED);
        assertThat(run(open, "env | cut -d= -f1 | sort | tr '\\n' ' '").strip().split(" "))
                .isSubsetOf("HOME", "LANG", "PATH", "PWD", "TZ", "OWN").contains("HOME", "LANG", "PATH", "OWN");
        LocalCompute refused = start(LocalComputeConfig.DEFAULTS.withSandbox(LocalComputeConfig.Sandbox.NONE), true);
        assertThat(refused.mode()).isEqualTo(SandboxMode.REFUSED);
        assertThat(refused.describe()).contains("--allow-unsandboxed-local-compute");
        assertThatThrownBy(() -> run(refused, "true"))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE));
        assertThat(start(LocalComputeConfig.DEFAULTS.withSandbox(LocalComputeConfig.Sandbox.NONE).withAllowUnsandboxed(true), true)
                .mode()).isEqualTo(SandboxMode.UNSANDBOXED);
    }

    @Test
    void onLinuxWithBubblewrapTheSandboxIsUsed() {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap (/usr/bin/bwrap)");
        assertThat(start(LocalComputeConfig.DEFAULTS, true).mode()).isEqualTo(SandboxMode.BUBBLEWRAP);
    }

    @Test
    void withoutNetworkAJobCannotReachTheHostButAScoringWorkerCan() throws Exception {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap (/usr/bin/bwrap)");
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 (/usr/bin/python3)");
        LocalCompute local = start(LocalComputeConfig.DEFAULTS.withLimits(LocalLimits.parse(Map.of("network", "false"))), false);
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String connect = "python3 -c 'import socket\ntry:\n socket.create_connection((\"127.0.0.1\", " + listening.getLocalPort()
                    + "), 5); print(\"connected\")\nexcept OSError as e: print(\"refused\", e)'";
            assertThat(run(local, connect, Workload.Kind.RUN_TO_COMPLETION)).startsWith("refused");
            assertThat(run(local, connect, Workload.Kind.SERVING)).startsWith("connected");
        }
    }

    private LocalCompute start(LocalComputeConfig config, boolean auth) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return LocalCompute.start(config.withWorkDir(dir.resolve("work-" + System.nanoTime())), dir.resolve("data"), List.of(), auth);
    }

    private static String run(LocalCompute local, String script) throws Exception {
        return run(local, script, Workload.Kind.RUN_TO_COMPLETION);
    }

    private static String run(LocalCompute local, String script, Workload.Kind kind) throws Exception {
        Path folder = local.workRoot().resolve("w-" + System.nanoTime());
        Process process = local.start(new Workload("test", kind, List.of("/bin/sh", "-c", script), folder,
                folder, Map.of("OWN", "1"), List.of()));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
