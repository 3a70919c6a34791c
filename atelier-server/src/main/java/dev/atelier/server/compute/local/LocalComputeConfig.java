package dev.atelier.server.compute.local;

import dev.atelier.server.compute.LocalLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How this server runs workloads on the {@code local} target (docs/security.md, "Sandboxed local workloads").
 *
 * @param workDir          the work root: every workload's folder lives below it; empty means
 *                         {@code <java.io.tmpdir>/atelier-work-<hash of the data directory>}. Never inside the data directory.
 * @param sandbox          {@link Sandbox#AUTO} uses bubblewrap when it works on this host; {@link Sandbox#NONE} never
 *                         does (what the fallback tests force; the mode is then unsandboxed or refused)
 * @param allowUnsandboxed {@code --allow-unsandboxed-local-compute}: with {@code --auth} and no sandbox, run local
 *                         workloads anyway (clean environment only) instead of refusing them
 * @param limits           network and resource limits of every local workload
 * @param pip              where builds of python environments find packages ({@code ATELIER_PIP_INDEX_URL},
 *                         {@code ATELIER_PIP_FIND_LINKS})
 */
public record LocalComputeConfig(Optional<Path> workDir, Sandbox sandbox, boolean allowUnsandboxed, LocalLimits limits, PipSources pip) {
    public static final LocalComputeConfig DEFAULTS = new LocalComputeConfig(Optional.empty(), Sandbox.AUTO, false, LocalLimits.NONE,
            PipSources.DEFAULT);

    /** Whether to look for a sandbox at all. */
    public enum Sandbox { AUTO, NONE }

    public LocalComputeConfig {
        requireNonNull(workDir, "workDir is null");
        requireNonNull(sandbox, "sandbox is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(pip, "pip is null");
    }

    public LocalComputeConfig withWorkDir(Path folder) {
        return new LocalComputeConfig(Optional.of(folder), sandbox, allowUnsandboxed, limits, pip);
    }

    public LocalComputeConfig withSandbox(Sandbox newSandbox) {
        return new LocalComputeConfig(workDir, newSandbox, allowUnsandboxed, limits, pip);
    }

    public LocalComputeConfig withAllowUnsandboxed(boolean allow) {
        return new LocalComputeConfig(workDir, sandbox, allow, limits, pip);
    }

    public LocalComputeConfig withLimits(LocalLimits newLimits) {
        return new LocalComputeConfig(workDir, sandbox, allowUnsandboxed, newLimits, pip);
    }

    public LocalComputeConfig withPip(PipSources newPip) {
        return new LocalComputeConfig(workDir, sandbox, allowUnsandboxed, limits, newPip);
    }

    /**
     * The work root for the data directory {@code dataDir}: the configured one, else one per data directory in the
     * system's temporary folder.
     *
     * @throws IllegalArgumentException when the work root is the data directory or inside it
     */
    public Path resolveWorkRoot(Path dataDir) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path root = workDir.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "atelier-work-" + shortHash(data.toString())))
                .toAbsolutePath().normalize();
        refuseInsideDataDir("work directory", root, data);
        return root;
    }

    /** @throws IllegalArgumentException when {@code folder} is the data directory or inside it: workloads would see it */
    public static void refuseInsideDataDir(String what, Path folder, Path dataDir) {
        Path data = dataDir.toAbsolutePath().normalize();
        if (folder.toAbsolutePath().normalize().startsWith(data)) {
            throw new IllegalArgumentException("The " + what + " " + folder + " is inside the data directory " + data
                    + "; local workloads must run outside it (choose another --work-dir)");
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
