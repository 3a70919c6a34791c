package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Datastores through the native API: the default one, local folders and S3 buckets on a real S3Proxy. */
class DatastoreApiTest {
    private static S3ProxyServer s3;
    private static TestServer server;
    private static HttpJson http;
    private static DataClient data;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("lake", "");
        // S3Proxy listens on loopback, which datastores may only reach when the operator allows it.
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-datastores"))
                .withConnections(ConnectionsConfig.DEFAULTS.withDatastoreEndpoints(EndpointAllowList.loopback())));
        http = server.http();
        data = new DataClient(http);
        assertThat(http.post("/api/v1/secrets", Map.of("name", "s3-access", "value", S3ProxyServer.ACCESS_KEY)).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/secrets", Map.of("name", "s3-secret", "value", S3ProxyServer.SECRET_KEY)).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/secrets", Map.of("name", "wrong-secret", "value", "not-the-key")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        s3.close();
    }

    @Test
    void everyWorkspaceHasTheDefaultDatastoreWhichCannotBeDeleted() {
        JsonNode list = http.get("/api/v1/datastores").json().get("datastores");
        assertThat(list.get(0).get("name").asText()).isEqualTo("workspaceartifactstore");
        assertThat(list.get(0).get("is_default").asBoolean()).isTrue();
        assertThat(http.send("DELETE", "/api/v1/datastores/workspaceartifactstore", null).status()).isEqualTo(400);
    }

    @Test
    void localDatastoreMustBeAFolderInsideTheAllowedRoots() throws Exception {
        Path root = Files.createDirectories(server.server().dataDir().resolve("datastores/raw"));
        Files.writeString(Files.createDirectories(root.resolve("2024")).resolve("sales.csv"), "region,amount\neu,3\nus,4\n");
        HttpJson.Response created = http.post("/api/v1/datastores", Map.of("name", "raw", "type", "local", "root", root.toString()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        HttpJson.Response table = data.create("sales", "table", null, "datastore://raw/2024/sales.csv", Map.of());
        assertThat(table.status()).as(table.text()).isEqualTo(201);
        assertThat(table.json().get("profile").get("row_count").asLong()).isEqualTo(2);
        HttpJson.Response folder = data.create("sales-folder", "uri_folder", null, "datastore://raw/2024", Map.of());
        assertThat(folder.status()).as(folder.text()).isEqualTo(201);

        HttpJson.Response outside = http.post("/api/v1/datastores", Map.of("name", "etc", "type", "local", "root", "/etc"));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.json().get("message").asText()).contains("must be a folder inside");
        HttpJson.Response missing = http.post("/api/v1/datastores", Map.of("name", "nope", "type", "local",
                "root", server.server().dataDir().resolve("datastores/nope").toString()));
        assertThat(missing.json().get("message").asText()).contains("no such folder");

        Path outsideFolder = Files.createTempDirectory("outside");
        Files.writeString(outsideFolder.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link"), outsideFolder);
        HttpJson.Response escaping = data.create("leak", "uri_file", null, "datastore://raw/link/secret.txt", Map.of());
        assertThat(escaping.status()).isEqualTo(400);
        assertThat(escaping.json().get("message").asText()).contains("outside");

        HttpJson.Response inUse = http.send("DELETE", "/api/v1/datastores/raw", null);
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.errorCode()).isEqualTo("INVALID_STATE");
    }

    @Test
    void s3DatastoreIsCheckedAndServesData() throws Exception {
        try (S3Bucket bucket = s3.open("lake", "")) {
            bucket.put("curated/iris.csv", new ByteArrayInputStream("a,b\n1,x\n2,y\n".getBytes(StandardCharsets.UTF_8)));
        }
        HttpJson.Response created = http.post("/api/v1/datastores", s3Body("lake-store", "lake", "s3-secret"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text()).doesNotContain(S3ProxyServer.SECRET_KEY);
        HttpJson.Response table = data.create("lake-iris", "table", null, "datastore://lake-store/curated/iris.csv", Map.of());
        assertThat(table.status()).as(table.text()).isEqualTo(201);
        assertThat(table.json().get("profile").get("row_count").asLong()).isEqualTo(2);
        HttpJson.Response download = http.get("/api/v1/data/lake-iris/versions/1/files/iris.csv");
        assertThat(download.text()).isEqualTo("a,b\n1,x\n2,y\n");
        HttpJson.Response missingPath = data.create("lake-none", "uri_folder", null, "datastore://lake-store/none", Map.of());
        assertThat(missingPath.status()).isEqualTo(400);
    }

    @Test
    void s3DatastoreThatCannotBeListedIsRefusedWithTheReason() {
        HttpJson.Response wrongKey = http.post("/api/v1/datastores", s3Body("bad-key", "lake", "wrong-secret"));
        assertThat(wrongKey.status()).isEqualTo(400);
        assertThat(wrongKey.json().get("message").asText()).contains("credentials were refused");
        HttpJson.Response noBucket = http.post("/api/v1/datastores", s3Body("no-bucket", "absent-bucket", "s3-secret"));
        assertThat(noBucket.json().get("message").asText()).contains("does not exist");
        Map<String, Object> unreachable = s3Body("unreachable", "lake", "s3-secret");
        unreachable.put("endpoint", "http://127.0.0.1:1");
        HttpJson.Response down = http.post("/api/v1/datastores", unreachable);
        assertThat(down.status()).isEqualTo(400);
        assertThat(down.json().get("message").asText()).contains("could not be reached");
        HttpJson.Response noSecret = http.post("/api/v1/datastores", s3Body("no-secret", "lake", "missing-secret"));
        assertThat(noSecret.json().get("message").asText()).contains("no such secret");
        Map<String, Object> serverCredentials = s3Body("server-credentials", "lake", "s3-secret");
        serverCredentials.remove("access_key_secret");
        serverCredentials.remove("secret_key_secret");
        HttpJson.Response withoutSecrets = http.post("/api/v1/datastores", serverCredentials);
        assertThat(withoutSecrets.status()).isEqualTo(400);
        assertThat(withoutSecrets.json().get("message").asText()).contains("access_key_secret");
        JsonNode list = http.get("/api/v1/datastores").json().get("datastores");
        assertThat(list).extracting(node -> node.get("name").asText())
                .doesNotContain("bad-key", "no-bucket", "unreachable", "no-secret", "server-credentials");
    }

    private static Map<String, Object> s3Body(String name, String bucket, String secretKeySecret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "s3");
        body.put("endpoint", s3.endpoint().toString());
        body.put("bucket", bucket);
        body.put("access_key_secret", "s3-access");
        body.put("secret_key_secret", secretKeySecret);
        return body;
    }
}
