package dev.atelier.server.compute.local;

import dev.atelier.api.AtelierException;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentBuilds;
import dev.atelier.server.environments.EnvironmentKind;
import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache of python environment builds: markers, half-built folders, garbage collection, and the errors before a build. */
class PythonEnvironmentsTest {
    @TempDir
    Path dir;
    private LocalCompute local;

    @AfterEach
    void close() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void aHalfBuiltFolderIsDeletedAndBuiltAgainAndTheMarkerMakesItReused() throws Exception {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/python3")), "Debian's python3 with venv (/usr/bin/python3)");
        local = start();
        Environment bare = python("bare", Optional.of("/usr/bin/python3"), Optional.empty());
        String digest = local.environments().build(bare).digest();
        Path folder = local.workRoot().resolve("environments").resolve(digest);
        Files.createDirectories(folder.resolve("venv/bin"));
        Files.writeString(folder.resolve("venv/bin/python"), "left by a build that never finished");
        assertThat(local.environments().build(bare).state()).isEqualTo(EnvironmentBuilds.State.NOT_BUILT);

        List<String> log = new ArrayList<>();
        PreparedEnvironment prepared = local.environments().prepare(bare, log::add);
        assertThat(prepared.bin()).isEqualTo(folder.resolve("venv/bin"));
        assertThat(Files.isSymbolicLink(prepared.bin().resolve("python")) || Files.isExecutable(prepared.bin().resolve("python"))).isTrue();
        assertThat(Files.readString(prepared.readOnly().getFirst().resolve("pyvenv.cfg"))).contains("home = /usr/bin");
        assertThat(log).anyMatch(line -> line.startsWith(PythonEnvironments.BUILD_HEADER + "bare:1"));
        assertThat(local.environments().build(bare).state()).isEqualTo(EnvironmentBuilds.State.BUILT);

        List<String> again = new ArrayList<>();
        assertThat(local.environments().prepare(bare, again::add)).isEqualTo(prepared);
        assertThat(again).singleElement().asString().contains("already built");
    }

    @Test
    void garbageCollectionRemovesTheBuildsNoVersionIsBuiltFrom() throws Exception {
        local = start();
        Environment kept = python("kept", Optional.of("3.11"), Optional.of("numpy==2.1\n"));
        Environment dropped = python("dropped", Optional.of("3.11"), Optional.of("pandas==2.2\n"));
        for (Environment environment : List.of(kept, dropped)) {
            pretendBuilt(local.environments().build(environment).digest());
            assertThat(local.environments().build(environment).state()).isEqualTo(EnvironmentBuilds.State.BUILT);
        }
        Environment process = new Environment("java", 1, EnvironmentKind.PROCESS, Optional.of("java"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), "", "me", 0);

        assertThat(local.environments().collectGarbage(List.of(kept, process))).isEqualTo(1);
        assertThat(local.environments().build(kept).state()).isEqualTo(EnvironmentBuilds.State.BUILT);
        assertThat(local.environments().build(dropped).state()).isEqualTo(EnvironmentBuilds.State.NOT_BUILT);
        try (Stream<Path> left = Files.list(local.workRoot().resolve("environments"))) {
            assertThat(left.map(path -> path.getFileName().toString())).allMatch(name -> name.startsWith(
                    local.environments().build(kept).digest()));
        }
        assertThat(local.environments().build(process)).isEqualTo(EnvironmentBuilds.Build.NOT_APPLICABLE);
    }

    @Test
    void whatCannotBeBuiltIsRefusedNamingWhatIsMissing() {
        local = start();
        assertThatThrownBy(() -> local.environments().prepare(python("old", Optional.of("/usr/bin/python9.9"), Optional.empty()), line -> { }))
                .isInstanceOf(AtelierException.class).hasMessageContaining("needs /usr/bin/python9.9");
        Environment image = new Environment("img", 1, EnvironmentKind.IMAGE, Optional.empty(), Optional.of("python:3.12"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), "", "me", 0);
        assertThatThrownBy(() -> local.environments().prepare(image, line -> { })).hasMessageContaining("does not build");
        boolean condaInstalled = Stream.of("/usr/local/bin", "/usr/bin", "/bin", "/opt/conda/bin", "/opt/micromamba/bin")
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, "conda")) || Files.isExecutable(Path.of(folder, "micromamba")));
        if (!condaInstalled) {
            Environment conda = new Environment("conda", 1, EnvironmentKind.PYTHON, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("dependencies: [python=3.11]\n"), Map.of(), "", "me", 0);
            assertThatThrownBy(() -> local.environments().prepare(conda, line -> { })).isInstanceOf(AtelierException.class)
                    .hasMessageContaining("needs micromamba or conda");
        }
    }

    private void pretendBuilt(String digest) throws Exception {
        Path root = local.workRoot().resolve("environments");
        Files.createDirectories(root.resolve(digest).resolve("venv/bin"));
        Files.writeString(root.resolve(digest).resolve("venv/bin/python"), "");
        Files.writeString(root.resolve(digest + ".log"), PythonEnvironments.BUILD_HEADER + "\n");
        Files.writeString(root.resolve(digest + ".built"), "");
    }

    private LocalCompute start() {
        return LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(dir.resolve("work")), dir.resolve("data"), List.of(), false);
    }

    private static Environment python(String name, Optional<String> python, Optional<String> requirements) {
        return new Environment(name, 1, EnvironmentKind.PYTHON, Optional.empty(), Optional.empty(), python, requirements, Optional.empty(),
                Map.of(), "", "me", 0);
    }
}
