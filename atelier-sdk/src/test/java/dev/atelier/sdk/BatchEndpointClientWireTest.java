package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the batch endpoint client sends for keys and for invoke's input type, per docs/batch-endpoints.md, against a
 * hand-written fake (BatchEndpointKeysCommandTest in atelier-cli runs against the real server).
 */
class BatchEndpointClientWireTest {
    private static final String KEYS = "{\"primary_key\":\"pk-1\",\"secondary_key\":\"sk-1\"}";

    private FakeAtelierServer fake;
    private AtelierClient client;

    @BeforeEach
    void start() {
        fake = FakeAtelierServer.start();
        client = AtelierClient.builder(fake.url()).workspace("team-a").credentials(Credentials.token("atl_user")).build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private JsonNode bodyOf(FakeAtelierServer.Request request) throws IOException {
        return HttpTransport.mapper().readTree(request.body());
    }

    @Test
    void keysAreReadAndRegeneratedUnderTheWorkspace() throws IOException {
        fake.answer("GET", "/w/team-a/api/v1/batch-endpoints/nightly/keys", 200, KEYS)
                .answer("POST", "/w/team-a/api/v1/batch-endpoints/nightly/keys/regenerate", 200,
                        "{\"primary_key\":\"pk-1\",\"secondary_key\":\"sk-2\"}");

        assertThat(client.batchEndpoints().keys("nightly")).isEqualTo(new EndpointKeys("pk-1", "sk-1"));
        EndpointKeys regenerated = client.batchEndpoints().regenerateKey("nightly", EndpointKeys.KeyType.SECONDARY);
        FakeAtelierServer.Request request = fake.lastRequest();
        assertThat(request.path()).isEqualTo("/w/team-a/api/v1/batch-endpoints/nightly/keys/regenerate");
        assertThat(bodyOf(request).toString()).isEqualTo("{\"key_type\":\"secondary\"}");
        assertThat(regenerated).isEqualTo(new EndpointKeys("pk-1", "sk-2"));
    }

    @Test
    void invokeSendsTheInputTypeOnlyWhenGiven() throws IOException {
        fake.answer("POST", "/w/team-a/api/v1/batch-endpoints/nightly/invoke", 201, "{\"name\":\"job-1\"}");

        client.batchEndpoints().invoke("nightly", "azureml:customers@latest", Optional.of("mltable"), Optional.empty(), Optional.empty(),
                Optional.empty(), (done, total) -> { });
        assertThat(bodyOf(fake.lastRequest()).toString()).isEqualTo("{\"input\":{\"path\":\"azureml:customers@latest\",\"type\":\"mltable\"}}");
        client.batchEndpoints().invoke("nightly", "customers:2", Optional.empty(), Optional.empty(), Optional.empty(), (done, total) -> { });
        assertThat(bodyOf(fake.lastRequest()).toString()).isEqualTo("{\"input\":{\"path\":\"customers:2\"}}");
    }
}
