package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactPathTest {
    @Test
    void normalizesEmptyAndDotSegments() {
        assertThat(ArtifactPath.parse("1/run/artifacts//model/./MLmodel/").value()).isEqualTo("1/run/artifacts/model/MLmodel");
        assertThat(ArtifactPath.parse("./a").value()).isEqualTo("a");
    }

    @Test
    void emptyOrMissingPathIsTheRoot() {
        assertThat(ArtifactPath.parse(null).isRoot()).isTrue();
        assertThat(ArtifactPath.parse("").isRoot()).isTrue();
        assertThat(ArtifactPath.parse("./").isRoot()).isTrue();
    }

    @Test
    void decodesPercentEscapesRepeatedlyAndKeepsPlusSigns() {
        assertThat(ArtifactPath.parse("a%20b/c+d%252Bx.txt").value()).isEqualTo("a b/c+d+x.txt");
        assertThat(ArtifactPath.parse("plots%2Fcoef.json").value()).isEqualTo("plots/coef.json");
        assertThat(ArtifactPath.parse("%E2%82%AC.txt").value()).isEqualTo("€.txt");
        assertThat(ArtifactPath.parse("100%.txt").value()).isEqualTo("100%.txt");
    }

    @Test
    void keepsDotsInsideNames() {
        assertThat(ArtifactPath.parse("a/..b/c..").value()).isEqualTo("a/..b/c..");
    }

    @Test
    void nameIsTheLastSegment() {
        assertThat(ArtifactPath.parse("a/b/model.pkl").name()).isEqualTo("model.pkl");
        assertThat(ArtifactPath.parse("MLmodel").name()).isEqualTo("MLmodel");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "..", "../etc/passwd", "a/../../b", "a/..", "a/%2e%2e/b", "a/%2E%2E/b", "%2e%2e%2f%2e%2e%2fetc",
            "..%2F..%2Fetc", "a/%252e%252e/b", "%25252e%25252e/x"})
    void refusesParentSegmentsHoweverEncoded(String path) {
        assertRefused(path, "'..' segments");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "%2Fetc/passwd", "%252Fetc", "//server/share"})
    void refusesAbsolutePaths(String path) {
        assertRefused(path, "absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\..\\..\\b", "..%5C..%5Cwindows", "a%255Cb"})
    void refusesBackslashes(String path) {
        assertRefused(path, "backslashes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C:/Windows/win.ini", "c:foo", "file:///etc/passwd", "FILE:/x"})
    void refusesDriveLettersAndFileUris(String path) {
        assertRefused(path, "drive letters and URIs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a%00b", "a%2500b", "a\nb", "a%0Ab", "a%7Fb"})
    void refusesNulAndControlCharacters(String path) {
        assertRefused(path, "control characters");
    }

    @Test
    void refusesHashLikeMlflow() {
        assertRefused("a#b", "'#'");
        assertRefused("a%23b", "'#'");
    }

    @Test
    void errorNamesThePathWithControlCharactersEscaped() {
        assertThatThrownBy(() -> ArtifactPath.parse("x/a\u0000b"))
                .hasMessage("Invalid path 'x/a\\u0000b': control characters are not allowed");
    }

    @Test
    void decodesUpToTenRoundsLikeMlflowAndRefusesMore() {
        assertThat(ArtifactPath.parse(encodeTimes(9)).value()).isEqualTo("a");
        assertRefused(encodeTimes(10), "too many times");
    }

    /** "a" percent-encoded {@code times} times: %61, %2561, %252561, ... */
    private static String encodeTimes(int times) {
        String path = "%61";
        for (int i = 1; i < times; i++) {
            path = path.replace("%", "%25");
        }
        return path;
    }

    private static void assertRefused(String path, String reason) {
        assertThatThrownBy(() -> ArtifactPath.parse(path))
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("Invalid path '")
                .hasMessageContaining(reason);
    }
}
