package dev.atelier.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that accept gzip, as Python's requests (MLflow's client) does by default, get large JSON
 * answers compressed and whole; small ones and clients that do not ask get them plain, with a length.
 */
class CompressedResponsesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aLargeAnswerIsCompressedForClientsThatAcceptGzipAndPlainForOthers() throws Exception {
        for (int i = 0; i < 40; i++) {
            server.http().post("/api/2.0/mlflow/experiments/create", Map.of("name", "an-experiment-with-a-rather-long-name-" + i));
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder search = HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow/experiments/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"max_results\": 100}"));

        HttpResponse<byte[]> gzipped = client.send(search.copy().header("Accept-Encoding", "gzip, deflate").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes();
        assertThat(new ObjectMapper().readTree(inflated).path("experiments").size()).isEqualTo(41);

        HttpResponse<byte[]> plain = client.send(search.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new ObjectMapper().readTree(plain.body()).path("experiments").size()).isEqualTo(41);

        HttpResponse<byte[]> small = client.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.headers().firstValueAsLong("Content-Length")).hasValue(small.body().length);
    }
}
