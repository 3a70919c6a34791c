package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Data assets through the native API on the default datastore: versions, @latest, profiles, downloads, bad input. */
class DataAssetApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final HttpJson http = server.http();
    static final DataClient data = new DataClient(http);

    static final String IRIS = """
            sepal_length,species,petals
            5.1,setosa,3
            4.9,setosa,
            6.3,virginica,5
            5.8,virginica,4
            7.0,versicolor,4
            """;

    @Test
    void tableIsProfiledOnRegistration() {
        JsonNode created = data.createUploaded("iris", "table", "iris.csv", IRIS);
        assertThat(created.get("version").asInt()).isEqualTo(1);
        assertThat(created.get("reference").asText()).isEqualTo("data:iris:1");
        JsonNode profile = http.get("/api/v1/data/iris/versions/latest").json().get("profile");
        assertThat(profile.get("row_count").asLong()).isEqualTo(5);
        assertThat(profile.get("column_count").asInt()).isEqualTo(3);
        JsonNode sepal = profile.get("columns").get(0);
        assertThat(sepal.get("name").asText()).isEqualTo("sepal_length");
        assertThat(sepal.get("type").asText()).isEqualTo("number");
        assertThat(sepal.get("missing").asLong()).isZero();
        assertThat(sepal.get("distinct_estimate").asLong()).isEqualTo(5);
        assertThat(sepal.get("min").asDouble()).isEqualTo(4.9);
        assertThat(sepal.get("max").asDouble()).isEqualTo(7.0);
        assertThat(sepal.get("mean").asDouble()).isCloseTo(5.82, within(1e-9));
        assertThat(sepal.get("std").asDouble()).isCloseTo(Math.sqrt(2.988 / 4), within(1e-9));
        assertThat(sepal.get("histogram").get("counts")).hasSize(10);
        long binned = 0;
        for (JsonNode count : sepal.get("histogram").get("counts")) {
            binned += count.asLong();
        }
        assertThat(binned).isEqualTo(5);
        JsonNode species = profile.get("columns").get(1);
        assertThat(species.get("type").asText()).isEqualTo("string");
        assertThat(species.get("distinct_estimate").asLong()).isEqualTo(3);
        assertThat(species.get("top_values").get(0).get("value").asText()).isEqualTo("setosa");
        assertThat(species.get("top_values").get(0).get("count").asLong()).isEqualTo(2);
        JsonNode petals = profile.get("columns").get(2);
        assertThat(petals.get("type").asText()).isEqualTo("integer");
        assertThat(petals.get("missing").asLong()).isEqualTo(1);
        assertThat(profile.get("preview").get("rows")).hasSize(5);
        assertThat(profile.get("preview").get("rows").get(0).get(1).asText()).isEqualTo("setosa");
    }

    /**
     * A Parquet table (resources/data/iris*.parquet, made as its README says: uncompressed, and with pyarrow's default
     * Snappy and dictionary encoding, and Zstandard) gets the profile and preview a CSV one gets.
     */
    @Test
    void parquetTableIsProfiledAsACsvOne() throws Exception {
        for (String file : List.of("iris.parquet", "iris-snappy.parquet", "iris-zstd.parquet")) {
            assertParquetProfile(file);
        }
        String broken = data.startUpload();
        assertThat(data.append(broken, "broken.parquet", 0, "PAR1 not really".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        HttpJson.Response refused = data.create("broken-parquet", "table", broken, null, Map.of());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asText()).contains("broken.parquet", "Parquet");
    }

    private void assertParquetProfile(String file) throws Exception {
        byte[] parquet;
        try (java.io.InputStream in = DataAssetApiTest.class.getResourceAsStream("/data/" + file)) {
            parquet = in.readAllBytes();
        }
        String upload = data.startUpload();
        assertThat(data.append(upload, file, 0, parquet).status()).isEqualTo(200);
        HttpJson.Response created = data.create("iris-parquet", "table", upload, null, Map.of());
        assertThat(created.status()).as(file + ": " + created.text()).isEqualTo(201);
        JsonNode profile = http.get("/api/v1/data/iris-parquet/versions/latest").json().get("profile");
        assertThat(profile.get("format").asText()).isEqualTo("parquet");
        assertThat(profile.get("row_count").asLong()).isEqualTo(5);
        assertThat(profile.get("columns")).extracting(column -> column.get("name").asText())
                .containsExactly("id", "species", "petal_length", "in_stock");
        JsonNode id = profile.get("columns").get(0);
        assertThat(id.get("type").asText()).isEqualTo("integer");
        assertThat(id.get("max").asDouble()).isEqualTo(5);
        JsonNode species = profile.get("columns").get(1);
        assertThat(species.get("type").asText()).isEqualTo("string");
        assertThat(species.get("missing").asLong()).isEqualTo(1);
        assertThat(species.get("top_values").get(0).get("value").asText()).isEqualTo("setosa");
        JsonNode petals = profile.get("columns").get(2);
        assertThat(petals.get("type").asText()).isEqualTo("number");
        assertThat(petals.get("missing").asLong()).isEqualTo(1);
        assertThat(petals.get("mean").asDouble()).isCloseTo((1.4 + 1.3 + 5.1 + 4.5) / 4, within(1e-9));
        assertThat(petals.get("histogram").get("counts")).hasSize(10);
        assertThat(profile.get("preview").get("rows")).hasSize(5);
        assertThat(profile.get("preview").get("rows").get(2).get(1).asText()).isEqualTo("virginica");
        assertThat(profile.get("preview").get("rows").get(3).get(1).isNull()).isTrue();
    }

    @Test
    void versionsAreImmutableAndLatestFollowsTheNewestActiveOne() throws Exception {
        JsonNode first = data.createUploaded("notes", "uri_file", "notes.txt", "first");
        JsonNode second = data.createUploaded("notes", "uri_file", "notes.txt", "second");
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(first.get("digest").asText()).isEqualTo("sha256:" + sha256("first"));
        assertThat(http.get("/api/v1/data/notes/versions/latest").json().get("version").asInt()).isEqualTo(2);

        HttpJson.Response again = data.create("notes", "uri_file", data.upload("notes.txt", "third"), null, Map.of("version", 2));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(download("notes", "2", "notes.txt")).isEqualTo("second");
        assertThat(download("notes", "1", "notes.txt")).isEqualTo("first");

        assertThat(http.post("/api/v1/data/notes/versions/2/archive", Map.of()).json().get("archived").asBoolean()).isTrue();
        assertThat(http.get("/api/v1/data/notes/versions/latest").json().get("version").asInt()).isEqualTo(1);
        assertThat(http.get("/api/v1/data/notes/versions").json().get("versions")).hasSize(1);
        assertThat(http.get("/api/v1/data/notes/versions?include_archived=true").json().get("versions")).hasSize(2);
        http.post("/api/v1/data/notes/versions/2/restore", Map.of());
        assertThat(http.get("/api/v1/data/notes/versions/latest").json().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void folderUploadKeepsItsFilesAndLists() {
        String id = data.startUpload();
        data.append(id, "images/a.bin", 0, "aaa".getBytes(StandardCharsets.UTF_8));
        data.append(id, "labels.txt", 0, "l".getBytes(StandardCharsets.UTF_8));
        HttpJson.Response created = data.create("images", "uri_folder", id, null, Map.of("tags", Map.of("team", "vision")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("file_count").asInt()).isEqualTo(2);
        assertThat(created.json().get("tags").get("team").asText()).isEqualTo("vision");
        JsonNode files = http.get("/api/v1/data/images/versions/1/files").json().get("files");
        assertThat(files).extracting(file -> file.get("path").asText()).containsExactly("images/a.bin", "labels.txt");
        assertThat(download("images", "latest", "images/a.bin")).isEqualTo("aaa");
        assertThat(http.get("/api/v1/data-uploads/" + id).status()).isEqualTo(404);
    }

    @Test
    void uploadChunksResumeAtTheOffsetTheServerHolds() {
        String id = data.startUpload();
        assertThat(data.append(id, "big.txt", 0, "hello ".getBytes(StandardCharsets.UTF_8)).json().get("size_bytes").asLong()).isEqualTo(6);
        HttpJson.Response wrong = data.append(id, "big.txt", 0, "again".getBytes(StandardCharsets.UTF_8));
        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.json().get("message").asText()).contains("offset 6");
        assertThat(http.get("/api/v1/data-uploads/" + id).json().get("files").get(0).get("size_bytes").asLong()).isEqualTo(6);
        data.append(id, "big.txt", 6, "world".getBytes(StandardCharsets.UTF_8));
        data.create("resumed", "uri_file", id, null, Map.of());
        assertThat(download("resumed", "1", "big.txt")).isEqualTo("hello world");
    }

    @Test
    void csvThatDoesNotParseIsRefusedAndNothingIsRegistered() throws Exception {
        HttpJson.Response ragged = data.create("broken", "table", data.upload("broken.csv", "a,b\n1,2\n3,4,5\n"), null, Map.of());
        assertThat(ragged.status()).isEqualTo(400);
        assertThat(ragged.json().get("message").asText()).contains("row 2").contains("3 values");
        HttpJson.Response quote = data.create("broken", "table", data.upload("broken.csv", "a,b\n\"unclosed,2\n"), null, Map.of());
        assertThat(quote.status()).isEqualTo(400);
        assertThat(quote.json().get("message").asText()).contains("does not parse as CSV");
        HttpJson.Response empty = data.create("broken", "table", data.upload("broken.csv", ""), null, Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(http.get("/api/v1/data/broken/versions").status()).isEqualTo(404);
        Path uploads = server.server().server().dataDir().resolve("artifacts/default.data/uploads/broken");
        assertThat(!Files.exists(uploads) || isEmptyTree(uploads)).isTrue();
    }

    @Test
    void badPathsAndReferencesGetClearErrors() {
        HttpJson.Response escaping = data.create("x", "uri_file", null, "datastore://workspaceartifactstore/../../etc/passwd", Map.of());
        assertThat(escaping.status()).isEqualTo(400);
        assertThat(escaping.json().get("message").asText()).contains("'..'");
        HttpJson.Response missing = data.create("x", "uri_file", null, "datastore://workspaceartifactstore/no/such/file.csv", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("message").asText()).contains("nothing is there");
        HttpJson.Response noStore = data.create("x", "uri_file", null, "datastore://nostore/a.csv", Map.of());
        assertThat(noStore.status()).isEqualTo(404);
        HttpJson.Response badType = data.create("x", "parquet", null, "datastore://workspaceartifactstore/a", Map.of());
        assertThat(badType.json().get("message").asText()).contains("uri_file, uri_folder, table");
        assertThat(http.get("/api/v1/data/x/versions/latest").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/data").json().get("data")).noneMatch(version -> version.get("name").asText().equals("x"));
    }

    @Test
    void registersAFileAlreadyOnTheDefaultDatastoreWhereItIs() {
        JsonNode uploaded = data.createUploaded("source", "uri_file", "source.txt", "shared bytes");
        HttpJson.Response again = data.create("alias", "uri_file", null, uploaded.get("uri").asText(), Map.of());
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(again.json().get("digest").asText()).isEqualTo(uploaded.get("digest").asText());
        assertThat(again.json().get("path").asText()).isEqualTo(uploaded.get("path").asText());
    }

    private static String download(String name, String version, String path) {
        HttpJson.Response response = http.get("/api/v1/data/" + name + "/versions/" + version + "/files/" + path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean isEmptyTree(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            return files.noneMatch(Files::isRegularFile);
        }
    }
}
