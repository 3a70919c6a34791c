package dev.atelier.server.models.automl;

import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library planted in {@code java.io.tmpdir} under lightgbm4j's name is never loaded: each case runs a child JVM whose
 * temporary folder holds a planted {@code lib_lightgbm.so} (not a library, so loading it fails loudly). The control
 * case shows that lightgbm4j's own loader would load it.
 */
class LightGbmNativeTest {
    @TempDir
    Path planted;

    @Test
    void thePlantedLibraryIsNotLoaded() throws Exception {
        assertThat(probe(true)).contains("NATIVE OK").doesNotContain("UnsatisfiedLinkError");
    }

    @Test
    void lightgbm4jsOwnLoaderWouldLoadIt() throws Exception {
        assertThat(probe(false)).contains("UnsatisfiedLinkError");
    }

    private String probe(boolean safe) throws Exception {
        Files.writeString(planted.resolve("lib_lightgbm.so"), "not a library", StandardCharsets.UTF_8);
        Files.writeString(planted.resolve("lib_lightgbm_swig.so"), "not a library", StandardCharsets.UTF_8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + planted, Probe.class.getName(), Boolean.toString(safe)))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    /** The child: loads LightGBM (safely or as lightgbm4j does) and calls into it. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                if (Boolean.parseBoolean(args[0])) {
                    LightGbmNative.load();
                }
                LGBMBooster.loadModelFromString("not a model");
                System.out.println("NATIVE OK (a model was read?)");
            } catch (LGBMException e) { // LightGBM itself refused the text: its native code ran
                System.out.println("NATIVE OK: " + e.getMessage());
            } catch (Throwable e) {
                System.out.println(e);
            }
        }
    }
}
