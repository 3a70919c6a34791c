package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in {@code atelier} environment: a sandboxed job in it runs the server's own Java runtime with the server's
 * classes on its CLASSPATH (here a single-file program loading a class of atelier-scoring), every workspace lists it,
 * and nobody can create an environment of that name.
 */
class AtelierEnvironmentTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aJobInTheAtelierEnvironmentRunsJavaWithTheServersClasses() {
        JobsFixture jobs = new JobsFixture(server.http());
        String code = jobs.snapshot(Map.of("Probe.java", """
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        Class<?> runtimes = Class.forName("dev.atelier.server.models.ModelRuntimes");
                        System.out.println("loaded " + runtimes.getSimpleName() + " with java " + System.getProperty("java.version"));
                        System.out.println("home " + System.getenv("JAVA_HOME").equals(System.getProperty("java.home")));
                    }
                }
                """));
        jobs.submit("name: in-atelier\ncode: snapshot:" + code + "\ncommand: java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Probe.java\n"
                + "environment: azureml:atelier@latest\n");
        JsonNode job = jobs.awaitEnded("in-atelier", Duration.ofSeconds(90));
        assertThat(job.path("status").asText()).as(String.join("\n", jobs.logLines("in-atelier"))).isEqualTo("Completed");
        assertThat(jobs.logLines("in-atelier")).contains("loaded ModelRuntimes with java " + System.getProperty("java.version"),
                "home true");
    }

    @Test
    void everyWorkspaceHasItAndNoneMayCreateOneOfThatName() {
        HttpJson http = server.http();
        JsonNode shown = http.get("/api/v1/environments/atelier").json();
        assertThat(shown.toString()).contains("\"kind\":\"atelier\"");
        assertThat(http.get("/api/v1/environments").text()).contains("\"atelier\"");
        HttpJson.Response created = http.post("/api/v1/environments", Map.of("name", "atelier", "kind", "process",
                "executable", "python3"));
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.text()).contains("built-in environment");
    }
}
