package dev.atelier.server.python;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python package ({@code python/} at the repository root) against real servers: installs it with
 * {@code pip install --no-index} into a fresh virtual environment of Debian's python3 (no setuptools needed: the
 * package builds itself with its own backend), then runs its unittest modules with that environment's Python, the
 * package imported from site-packages. One server is open (jobs, data, pipelines, endpoints), one has
 * {@code --auth} (bad credentials). The ONNX model folder is written here and uploaded from Python.
 *
 * <p>{@link #MODULES} lists the modules run.
 */
class PythonPackageTest {
    static final String PYTHON = "/usr/bin/python3";
    static final List<String> MODULES = List.of("test_yaml", "test_snapshots", "test_build", "test_dsl", "test_sweep", "test_credentials",
            "test_workspace", "test_batch_endpoints");
    static final long TIMEOUT_MINUTES = 15;

    static TestServer open;
    static TestServer secured;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws IOException {
        RequiredTool.require(Files.isExecutable(Path.of(PYTHON)), "Debian's python3 with venv and pip (" + PYTHON + ")");
        open = TestServer.start();
        secured = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-python-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of("admin-pass-123"), Optional.empty())));
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (secured != null) {
            secured.close();
        }
    }

    @Test
    void thePackageInstallsWithNoIndexAndItsTestsPassAgainstTheServer() throws Exception {
        Path python = repositoryRoot().resolve("python");
        Path venv = scratch.resolve("venv");
        run(List.of(PYTHON, "-m", "venv", venv.toString()), python, Map.of());
        run(List.of(venv.resolve("bin/pip").toString(), "install", "--no-index", "--disable-pip-version-check", python.toString()),
                scratch, Map.of());

        Path onnx = new ServingFixture(open.http(), scratch).onnxFolder();
        List<String> command = new ArrayList<>(List.of(venv.resolve("bin/python").toString(), "-m", "unittest", "-v"));
        command.addAll(MODULES);
        String output = run(command, python.resolve("tests"), Map.of("ATELIER_URL", open.url(), "ATELIER_AUTH_URL", secured.url(),
                "ATELIER_ONNX_FOLDER", onnx.toString(), "ATELIER_EXPECT_INSTALLED", "1"));
        assertThat(output).containsPattern("(?m)^OK$").doesNotContain("... skipped").doesNotContain("skipped=");
    }

    /** Runs a command to its end and answers its output; fails with the output when it does not exit 0. */
    private static String run(List<String> command, Path directory, Map<String, String> variables) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("ATELIER_") || name.startsWith("PIP_") || name.equals("PYTHONPATH"));
        environment.put("ATELIER_CONFIG_DIR", scratch.resolve("config").toString());
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        environment.put("PIP_NO_CACHE_DIR", "1");
        environment.putAll(variables);
        Path log = Files.createTempFile(scratch, "python", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s did not end in %d minutes:%n%s", command, TIMEOUT_MINUTES, output).isTrue();
        assertThat(process.exitValue()).as("%s failed:%n%s", command, output).isZero();
        return output;
    }

    /** The checkout's root: the first folder upwards from the working folder that holds {@code python/pyproject.toml}. */
    private static Path repositoryRoot() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("python/pyproject.toml"))) {
                return folder;
            }
        }
        throw new IllegalStateException("No python/pyproject.toml above " + Path.of("").toAbsolutePath());
    }
}
