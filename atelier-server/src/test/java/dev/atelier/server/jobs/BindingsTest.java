package dev.atelier.server.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bound commands run by a real {@code /bin/sh}: the values arrive as exactly one argument each, never as shell syntax. */
class BindingsTest {
    private static final String HOSTILE = "a;touch INJECTED;$(touch INJECTED2)`touch INJECTED3` 'q' \"d\" \\ *.csv";

    @Test
    void ordinaryValuesStayReadable() {
        assertThat(Bindings.bind("python train.py --lr ${{inputs.lr}} --data ${{inputs.d}}", "inputs",
                Map.of("lr", "0.1", "d", "/inputs/d/train.csv"))).isEqualTo("python train.py --lr 0.1 --data /inputs/d/train.csv");
        assertThat(Bindings.bind("echo ${{inputs.name}}", "inputs", Map.of("name", "two words")))
                .isEqualTo("echo 'two words'");
        assertThat(Bindings.bind("echo ${{inputs.x}}", "inputs", Map.of("x", "it's"))).isEqualTo("echo 'it'\\''s'");
        assertThat(Bindings.bind("echo ${{inputs.x}}", "inputs", Map.of("x", ""))).isEqualTo("echo ''");
    }

    @Test
    void shellSyntaxInAValueIsOneLiteralArgumentInEveryQuotingContext() throws Exception {
        Path dir = Files.createTempDirectory("atelier-bindings");
        Map<String, String> values = Map.of("x", HOSTILE, "lr", "0.1");
        assertThat(run(dir, Bindings.bind("printf '[%s]\\n' ${{inputs.x}}", "inputs", values))).containsExactly("[" + HOSTILE + "]");
        assertThat(run(dir, Bindings.bind("printf '[%s]\\n' \"--data=${{inputs.x}}\"", "inputs", values)))
                .containsExactly("[--data=" + HOSTILE + "]");
        assertThat(run(dir, Bindings.bind("printf '[%s]\\n' '--data=${{inputs.x}}'", "inputs", values)))
                .containsExactly("[--data=" + HOSTILE + "]");
        assertThat(run(dir, Bindings.bind("printf '[%s]\\n' --data=${{inputs.x}}/file \"--lr=${{inputs.lr}}\"", "inputs", values)))
                .containsExactly("[--data=" + HOSTILE + "/file]", "[--lr=0.1]");
        assertThat(run(dir, Bindings.bind("printf '[%s]\\n' \"a\\\"${{inputs.x}}\"", "inputs", values)))
                .containsExactly("[a\"" + HOSTILE + "]");
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).isEmpty();
        }
    }

    @Test
    void referencesOfOtherKindsStay() {
        assertThat(Bindings.bind("cp ${{inputs.a}} ${{outputs.b}}", "outputs", Map.of("b", "/out dir")))
                .isEqualTo("cp ${{inputs.a}} '/out dir'");
    }

    private static List<String> run(Path dir, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + "\n" + out).isZero();
        return out.lines().toList();
    }
}
