package dev.atelier.server.data;

import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.S3ProxyServer;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 datastore endpoints cannot make the server call a metadata service, its own loopback or the
 * private network unless the operator allows it (ATELIER_DATASTORE_ENDPOINT_ALLOW): checked when a
 * datastore is registered and again when the server connects to it.
 */
class DatastoreEndpointTest {
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("lake", "");
        try (S3Bucket bucket = s3.open("lake", "")) {
            bucket.put("iris.csv", new ByteArrayInputStream("a,b\n1,x\n".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void metadataServiceAndLoopbackAreRefusedByDefault() throws Exception {
        try (TestServer server = TestServer.start(Files.createTempDirectory("atelier-endpoints"))) {
            HttpJson http = secrets(server);
            for (String endpoint : new String[] {"http://169.254.169.254/", "http://[fe80::1]/", "http://10.1.2.3:9000",
                    "http://192.168.0.10", "http://0.0.0.0:9000", "http://localhost:" + s3.endpoint().getPort(),
                    s3.endpoint().toString()}) {
                HttpJson.Response refused = http.post("/api/v1/datastores", body("meta", endpoint));
                assertThat(refused.status()).as(endpoint + ": " + refused.text()).isEqualTo(400);
                assertThat(refused.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
                assertThat(refused.json().path("message").asText()).contains("'endpoint'", "ATELIER_DATASTORE_ENDPOINT_ALLOW");
            }
            assertThat(http.get("/api/v1/datastores/meta").status()).isEqualTo(404);
        }
    }

    @Test
    void anAllowedLoopbackEndpointWorksAndIsCheckedAgainWhenConnecting() throws Exception {
        Path dataDir = Files.createTempDirectory("atelier-endpoints-allowed");
        ServerConfig allowed = ServerConfig.forTests(dataDir).withConnections(ConnectionsConfig.DEFAULTS
                .withDatastoreEndpoints(EndpointAllowList.parse("127.0.0.1:" + s3.endpoint().getPort())));
        try (TestServer server = TestServer.start(allowed)) {
            HttpJson http = secrets(server);
            HttpJson.Response created = http.post("/api/v1/datastores", body("lake", s3.endpoint().toString()));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            HttpJson.Response otherPort = http.post("/api/v1/datastores", body("other", "http://127.0.0.1:1"));
            assertThat(otherPort.status()).as("only the listed port is allowed").isEqualTo(400);
            HttpJson.Response asset = new DataClient(http).create("iris", "uri_file", null, "datastore://lake/iris.csv", Map.of());
            assertThat(asset.status()).as(asset.text()).isEqualTo(201);
            assertThat(http.get("/api/v1/data/iris/versions/1/files/iris.csv").text()).isEqualTo("a,b\n1,x\n");
        }
        // The same database under a server that no longer allows the address: the stored datastore is not reached.
        try (TestServer server = TestServer.start(ServerConfig.forTests(dataDir))) {
            HttpJson.Response read = server.http().get("/api/v1/data/iris/versions/1/files/iris.csv");
            assertThat(read.status()).as(read.text()).isEqualTo(400);
            assertThat(read.json().path("message").asText()).contains("ATELIER_DATASTORE_ENDPOINT_ALLOW");
        }
    }

    @Test
    void allowListEntries() throws Exception {
        EndpointAllowList list = EndpointAllowList.parse(" minio.internal , 127.0.0.1:9000, 10.0.0.0/8, ::1 ");
        list.check("endpoint", java.net.URI.create("http://127.0.0.1:9000"));
        list.check("endpoint", java.net.URI.create("http://10.20.30.40"));
        list.check("endpoint", java.net.URI.create("http://[::1]:9000"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> list.check("endpoint", java.net.URI.create("http://127.0.0.1:9001"))))
                .hasMessageContaining("127.0.0.1");
        EndpointAllowList.parse("*").check("endpoint", java.net.URI.create("http://169.254.169.254"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> EndpointAllowList.parse("10.0.0.0/40")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATELIER_DATASTORE_ENDPOINT_ALLOW");
        assertThat(EndpointAllowList.isPublic(java.net.InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(EndpointAllowList.isPublic(java.net.InetAddress.getByName("100.100.100.200"))).isFalse();
        assertThat(EndpointAllowList.isPublic(java.net.InetAddress.getByName("fd00::1"))).isFalse();
    }

    private static HttpJson secrets(TestServer server) {
        HttpJson http = server.http();
        assertThat(http.post("/api/v1/secrets", Map.of("name", "s3-access", "value", S3ProxyServer.ACCESS_KEY)).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/secrets", Map.of("name", "s3-secret", "value", S3ProxyServer.SECRET_KEY)).status()).isEqualTo(201);
        return http;
    }

    private static Map<String, Object> body(String name, String endpoint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "s3");
        body.put("endpoint", endpoint);
        body.put("bucket", "lake");
        body.put("access_key_secret", "s3-access");
        body.put("secret_key_secret", "s3-secret");
        return body;
    }
}
