package dev.atelier.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's packages form no cycle (docs/architecture.md, "Rules the code follows"): wiring lives
 * in the composition root or in leaf packages, configuration beside what it configures, so that a
 * domain can be read, tested and changed without the ones above it. Read from the main sources.
 */
class PackageCyclesTest {
    private static PackageGraph graph;

    @BeforeAll
    static void readSources() {
        graph = PackageGraph.of(Path.of("src", "main", "java"));
        assertThat(graph.files()).as("source files read").isGreaterThan(100);
        assertThat(graph.packages()).contains(PackageGraph.ROOT, PackageGraph.ROOT + ".store", PackageGraph.ROOT + ".jobs");
    }

    @Test
    void noPackageCycles() {
        String cycles = graph.cycles().stream().map(graph::describe).collect(Collectors.joining("\n"));
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void theCompositionRootIsUsedByNoOtherPackage() {
        assertThat(graph.usedBy(PackageGraph.ROOT)).as("packages using the composition root").isEmpty();
    }

    @Test
    void storeUsesNoOtherPackageOfTheServer() {
        assertThat(graph.uses(PackageGraph.ROOT + ".store")).as("packages store uses").isEmpty();
    }

    @Test
    void computeUsesNeitherJobsNorServing() {
        Map<String, Path> forbidden = new TreeMap<>();
        for (String from : graph.packages()) {
            if (within(from, "compute")) {
                graph.uses(from).forEach((to, file) -> {
                    if (within(to, "jobs") || within(to, "serving")) {
                        forbidden.put(from + " -> " + to, file);
                    }
                });
            }
        }
        assertThat(forbidden).as("compute uses what runs on it").isEmpty();
    }

    @Test
    void aCycleIsFoundAndNamedWithItsFiles() {
        PackageGraph sample = PackageGraph.of(Path.of("src", "test", "resources", "package-cycles"));
        SortedSet<String> cycle = sample.cycles().getFirst();
        assertThat(sample.cycles()).hasSize(1);
        assertThat(cycle).containsExactly("dev.atelier.server.a", "dev.atelier.server.b");
        assertThat(sample.describe(cycle))
                .contains("dev.atelier.server.a -> dev.atelier.server.b  (" + Path.of("a", "A.java") + ")")
                .contains("dev.atelier.server.b -> dev.atelier.server.a  (" + Path.of("b", "B.java") + ")")
                .doesNotContain("dev.atelier.server.c");
        assertThat(sample.uses("dev.atelier.server.b")).as("comments and strings are no use").doesNotContainKey("dev.atelier.server.c");
        assertThat(sample.uses("dev.atelier.server.c")).containsOnlyKeys("dev.atelier.server.a");
    }

    private static boolean within(String candidate, String domain) {
        String base = PackageGraph.ROOT + "." + domain;
        return candidate.equals(base) || candidate.startsWith(base + ".");
    }
}
