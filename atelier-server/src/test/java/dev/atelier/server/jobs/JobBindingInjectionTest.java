package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binding's value is data, never shell syntax: a data asset whose file name holds {@code ;} and a
 * string input holding {@code $(...)} reach the job's command as one literal argument each (issue 12,
 * "Roles that can't be escalated"). Each job checks in its own folder that nothing was created.
 */
class JobBindingInjectionTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CSV = "x,y\n1,2\n";

    private final HttpJson http = server.http();
    private final JobsFixture jobs = new JobsFixture(http);

    @Test
    void aDataAssetFileNamedWithShellSyntaxIsReadNotRun() {
        upload("hostile", "a;touch INJECTED;.csv", CSV);
        jobs.submit("""
                name: cat-hostile
                command: cat ${{inputs.d}} && test ! -e INJECTED && echo nothing-created
                inputs:
                  d: {type: uri_file, path: data:hostile:1}
                """);
        JsonNode job = jobs.awaitEnded("cat-hostile", WAIT);
        assertThat(job.path("status").asText()).as(job + "\n" + jobs.logLines("cat-hostile")).isEqualTo("Completed");
        assertThat(jobs.logLines("cat-hostile")).contains("x,y", "1,2", "nothing-created");
    }

    @Test
    void aStringInputWithCommandSubstitutionIsPassedLiterally() {
        jobs.submit("""
                name: echo-hostile
                command: printf '[%s]\\n' ${{inputs.note}} "--note=${{inputs.note}}" && test ! -e INJECTED && echo nothing-created
                inputs:
                  note: "$(touch INJECTED) `touch INJECTED`; touch INJECTED"
                """);
        JsonNode job = jobs.awaitEnded("echo-hostile", WAIT);
        assertThat(job.path("status").asText()).as(job + "\n" + jobs.logLines("echo-hostile")).isEqualTo("Completed");
        String value = "$(touch INJECTED) `touch INJECTED`; touch INJECTED";
        assertThat(jobs.logLines("echo-hostile")).contains("[" + value + "]", "[--note=" + value + "]", "nothing-created");
    }

    @Test
    void ordinaryAzureMlCommandsStillWork() {
        upload("plain", "train data.csv", CSV);
        jobs.submit("""
                name: azure-style
                command: >-
                  echo lr=${{inputs.lr}} epochs=${{inputs.epochs}} &&
                  cat "${{inputs.d}}" && cat --  ${{inputs.d}} | wc -l | tr -d ' ' &&
                  echo "--out=${{outputs.model}}" | grep -c outputs
                inputs:
                  lr: 0.01
                  epochs: 3
                  d: {type: uri_file, path: data:plain:1}
                outputs:
                  model: {type: uri_folder}
                """);
        JsonNode job = jobs.awaitEnded("azure-style", WAIT);
        assertThat(job.path("status").asText()).as(job + "\n" + jobs.logLines("azure-style")).isEqualTo("Completed");
        assertThat(jobs.logLines("azure-style")).contains("lr=0.01 epochs=3", "x,y", "2", "1");
    }

    private void upload(String asset, String fileName, String content) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        assertThat(session.status()).as(session.text()).isEqualTo(201);
        String uploadId = session.json().path("upload_id").asText();
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                + "/files/" + encoded + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", "uri_file", "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        HttpJson.Response files = http.get("/api/v1/data/" + asset + "/versions/1");
        assertThat(files.text()).as("the asset keeps the file name").contains(fileName.replace("\"", "\\\""));
    }
}
