package dev.atelier.scoring;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which classpath elements a package takes, and which entries of them it leaves out. */
class ScoringClasspathTest {
    private static final ScoringClasspath.Jar JACKSON_CORE = new ScoringClasspath.Jar("com.fasterxml.jackson.core", "jackson-core", "",
            "2.22.1", "jar");

    @Test
    void aJarIsFoundByArtifactWhateverItsVersionButNotByALongerName() {
        assertThat(JACKSON_CORE.matches("jackson-core-2.21.0.jar")).isTrue();
        assertThat(JACKSON_CORE.matches("jackson-coreutils-1.6.jar")).isFalse();
        assertThat(JACKSON_CORE.matches("third-party-jackson-core-2.57.8.jar")).isFalse();
        assertThat(new ScoringClasspath.Jar("dev.atelier", "atelier-api", "", "0.1.0-SNAPSHOT", "jar").matches("atelier-api/target/classes"))
                .as("a module of the same reactor").isTrue();
        assertThat(ScoringClasspath.find(JACKSON_CORE, Map.of("jackson-core-2.21.0.jar", Path.of("/lib/jackson-core-2.21.0.jar"))))
                .as("the classpath's version, which the server runs").isEqualTo(Path.of("/lib/jackson-core-2.21.0.jar"));
    }

    @Test
    void twoJarsOfTheSameArtifactNameAreToldApartByTheBuildsVersion() {
        Map<String, Path> classpath = new LinkedHashMap<>();
        classpath.put("jackson-core-3.2.2.jar", Path.of("/lib/jackson-core-3.2.2.jar"));
        classpath.put("jackson-core-2.22.1.jar", Path.of("/lib/jackson-core-2.22.1.jar"));
        assertThat(ScoringClasspath.find(JACKSON_CORE, classpath)).isEqualTo(Path.of("/lib/jackson-core-2.22.1.jar"));
        classpath.remove("jackson-core-2.22.1.jar");
        classpath.put("jackson-core-2.21.0.jar", Path.of("/lib/jackson-core-2.21.0.jar"));
        assertThatThrownBy(() -> ScoringClasspath.find(JACKSON_CORE, classpath)).hasMessageContaining("com.fasterxml.jackson.core:jackson-core")
                .hasMessageContaining("candidates");
    }

    @Test
    void theBuildListsTheRuntimeJars() {
        assertThat(ScoringClasspath.listed()).extracting(ScoringClasspath.Jar::artifactId)
                .contains("atelier-api", "jackson-databind", "onnxruntime", "xgboost4j_2.12", "tribuo-core");
    }

    @Test
    void signaturesManifestsAndModuleDescriptorsAreLeftOut() {
        assertThat(PackageJar.leftOut("META-INF/MANIFEST.MF")).isTrue();
        assertThat(PackageJar.leftOut("META-INF/BC2048KE.SF")).isTrue();
        assertThat(PackageJar.leftOut("META-INF/BC2048KE.RSA")).isTrue();
        assertThat(PackageJar.leftOut("module-info.class")).isTrue();
        assertThat(PackageJar.leftOut("META-INF/versions/9/module-info.class")).isTrue();
        assertThat(PackageJar.leftOut("META-INF/services/org.tribuo.Output")).isFalse();
        assertThat(PackageJar.leftOut("META-INF/maven/org.tribuo/tribuo-core/pom.properties")).isFalse();
        assertThat(PackageJar.leftOut("ai/onnxruntime/native/linux-x64/libonnxruntime.so")).isFalse();
    }
}
