package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atelier models package}: the jar, started as its own process with this JDK's {@code java -jar}, answers
 * what the online endpoint of the same model version answers, for an ONNX and an XGBoost model, in each protocol;
 * the OCI tarball read back (layout, digests, config) on a base image tarball the test writes; and the command's errors.
 */
class ModelPackageCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path dir;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern LISTENING = Pattern.compile("on http://[^:]+:(\\d+) \\(started in");
    private static ServingFixture serving;

    @BeforeAll
    static void deployOnnxAndXgboost() throws Exception {
        serving = new ServingFixture(server.http(), dir);
        for (String flavor : List.of("onnx", "xgboost")) {
            serving.register("pkg-" + flavor, flavor.equals("onnx") ? serving.onnxFolder() : serving.xgboostFolder());
            serving.createEndpoint("name: pkg-" + flavor + "\n");
            serving.createDeployment("pkg-" + flavor, "name: main\nmodel: models:/pkg-" + flavor + "/1\n");
            assertThat(serving.awaitProvisioned("pkg-" + flavor, "main").path("provisioning_state").asText()).isEqualTo("Succeeded");
        }
    }

    @Test
    void thePackagedJarAnswersAsTheOnlineEndpointForOnnxAndXgboost() throws Exception {
        for (String flavor : List.of("onnx", "xgboost")) {
            String name = "pkg-" + flavor;
            Path folder = dir.resolve("jars-" + flavor);
            Cli.Result packaged = atelier("models", "package", name + "/1", "--to", folder.toString(), "-o", "json");
            assertThat(packaged.exitCode()).as(packaged.err()).isZero();
            Path jar = folder.resolve(name + "-1.jar");
            assertThat(JSON.readTree(packaged.out()).path("path").asText()).isEqualTo(jar.toString());
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.atelier.scoring.PackagedServer");
                assertThat(file.getEntry("model/MLmodel")).isNotNull();
                assertThat(file.stream().map(java.util.zip.ZipEntry::getName)).as("signatures left out")
                        .noneMatch(entry -> entry.startsWith("META-INF/") && entry.endsWith(".SF"));
                List<String> names = file.stream().map(java.util.zip.ZipEntry::getName).toList();
                String other = flavor.equals("onnx") ? "ml/dmlc/xgboost4j/" : "ai/onnxruntime/";
                String own = flavor.equals("onnx") ? "ai/onnxruntime/" : "ml/dmlc/xgboost4j/";
                assertThat(names).as("only the model's flavor's runtime").noneMatch(entry -> entry.startsWith(other))
                        .anyMatch(entry -> entry.startsWith(own));
                if (flavor.equals("onnx")) {
                    assertThat(names).as("nor the libraries only XGBoost needs").noneMatch(entry -> entry.startsWith("scala/")
                            || entry.startsWith("com/esotericsoftware/kryo/"));
                }
            }
            String key = serving.primaryKey(name);
            try (PackageProcess running = PackageProcess.start(jar)) {
                String base = "http://127.0.0.1:" + running.port;
                String rows = "[[0.1, 0.9], [0.9, 0.1], [0.5, 0.45], [0.25, 0.8]]";
                String input = flavor.equals("onnx") ? inputName(base + "/v2/models/" + name) : "input-0";
                Map<String, String> bodies = Map.of(
                        "/invocations", "{\"dataframe_split\": {\"columns\": [\"x0\", \"x1\"], \"data\": " + rows + "}}",
                        "/score", "{\"data\": " + rows + "}",
                        "/v2/models/" + name + "/infer", "{\"id\": \"r1\", \"inputs\": [{\"name\": \"" + input + "\", \"shape\": [4, 2], "
                                + "\"datatype\": \"FP32\", \"data\": [0.1, 0.9, 0.9, 0.1, 0.5, 0.45, 0.25, 0.8]}]}");
                for (Map.Entry<String, String> call : bodies.entrySet()) {
                    HttpResponse<String> fromPackage = post(base + call.getKey(), null, call.getValue());
                    HttpJson.Response fromEndpoint = serving.score(name, call.getKey(), key, "application/json", call.getValue());
                    assertThat(fromEndpoint.status()).as(fromEndpoint.text()).isEqualTo(200);
                    assertThat(fromPackage.statusCode()).as(flavor + call.getKey() + ": " + fromPackage.body()).isEqualTo(200);
                    assertThat(JSON.readTree(fromPackage.body())).as(flavor + " " + call.getKey()).isEqualTo(fromEndpoint.json());
                }
                String bad = "{\"dataframe_split\": {\"columns\": [\"x0\"], \"data\": [[0.1]]}}";
                HttpResponse<String> refused = post(base + "/invocations", null, bad);
                HttpJson.Response endpointRefused = serving.score(name, "/invocations", key, "application/json", bad);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(endpointRefused.status()).isEqualTo(400);
                assertThat(JSON.readTree(refused.body()).path("message")).isEqualTo(endpointRefused.json().path("message"));
                assertThat(JSON.readTree(refused.body()).path("error_code").asText()).isEqualTo(endpointRefused.json().path("error_code").asText());

                HttpResponse<String> metadata = get(base + "/v2/models/" + name);
                HttpJson.Response endpointMetadata = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/endpoints/" + name
                        + "/v2/models/" + name)).header("Authorization", "Bearer " + key).GET().build());
                assertThat(JSON.readTree(metadata.body())).isEqualTo(endpointMetadata.json());
                assertThat(get(base + "/v2/health/ready").statusCode()).isEqualTo(200);
                assertThat(get(base + "/v2/models/other").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void anOciTarballHoldsTheJarOnTheBaseImageWithValidDigests() throws Exception {
        byte[] baseLayer = tar(Map.of("etc/base-marker", "from the base image\n".getBytes(StandardCharsets.UTF_8)));
        String baseDiffId = "sha256:" + sha256(baseLayer);
        Path baseImage = dir.resolve("base.tar");
        Files.write(baseImage, tar(Map.of(
                "layer.tar", baseLayer,
                "config.json", ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + baseDiffId + "\"]}}").getBytes(StandardCharsets.UTF_8),
                "manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"test/base:1\"],\"Layers\":[\"layer.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8))));
        Path image = dir.resolve("image.tar");

        Cli.Result built = atelier("models", "package", "pkg-onnx/1", "--format", "oci", "--base-image", "tar://" + baseImage,
                "--to", image.toString(), "-o", "json");

        assertThat(built.exitCode()).as(built.err()).isZero();
        Map<String, byte[]> entries = untar(Files.readAllBytes(image));
        assertThat(entries).containsKeys("oci-layout", "index.json");
        entries.forEach((entryName, content) -> {
            if (entryName.startsWith("blobs/sha256/")) {
                assertThat(sha256(content)).as("digest of " + entryName).isEqualTo(entryName.substring("blobs/sha256/".length()));
            }
        });
        JsonNode index = JSON.readTree(entries.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(entries, index.path("manifests").get(0)));
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(JSON.readTree(built.out()).path("digest").asText());
        JsonNode config = JSON.readTree(blob(entries, manifest.path("config")));
        assertThat(config.at("/config/Entrypoint")).isEqualTo(JSON.readTree("[\"java\", \"-XX:+AutoCreateSharedArchive\", "
                + "\"-XX:SharedArchiveFile=/tmp/atelier-model.jsa\", \"-jar\", \"/app/model.jar\"]"));
        assertThat(config.at("/config/Env").toString()).contains("PORT=8080");
        JsonNode layers = manifest.path("layers");
        assertThat(layers.size()).isEqualTo(2).isEqualTo(config.at("/rootfs/diff_ids").size());
        assertThat(config.at("/rootfs/diff_ids").get(0).asText()).as("the base's layer, unchanged").isEqualTo(baseDiffId);
        byte[] appLayer = gunzip(blob(entries, layers.get(1)));
        assertThat(config.at("/rootfs/diff_ids").get(1).asText()).isEqualTo("sha256:" + sha256(appLayer));
        byte[] jar = untar(appLayer).get("app/model.jar");
        assertThat(jar).as("the package's jar in the image").isNotNull();
        Path copy = Files.write(dir.resolve("from-image.jar"), jar);
        try (JarFile file = new JarFile(copy.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.atelier.scoring.PackagedServer");
            assertThat(file.getEntry("model/MLmodel")).isNotNull();
        }
    }

    @Test
    void pushSendsTheImageToARegistryWhoseManifestReadsBack() throws Exception {
        byte[] baseLayer = tar(Map.of("etc/base-marker", "pushed base\n".getBytes(StandardCharsets.UTF_8)));
        Path baseImage = dir.resolve("push-base.tar");
        Files.write(baseImage, tar(Map.of(
                "layer.tar", baseLayer,
                "config.json", ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                        + sha256(baseLayer) + "\"]}}").getBytes(StandardCharsets.UTF_8),
                "manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"test/base:1\"],\"Layers\":[\"layer.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8))));
        try (TestRegistry registry = TestRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            String reference = registry.host() + "/ml/pkg-onnx:1";
            Cli.Result pushed = atelier("models", "package", "pkg-onnx/1", "--format", "oci", "--base-image", "tar://" + baseImage,
                    "--push", reference, "--allow-insecure-registry", "-o", "json");
            assertThat(pushed.exitCode()).as(pushed.err()).isZero();
            TestRegistry.Manifest stored = registry.manifest("ml/pkg-onnx", "1");
            assertThat(stored).as("the manifest under the tag").isNotNull();
            assertThat(TestRegistry.digest(stored.content())).isEqualTo(JSON.readTree(pushed.out()).path("digest").asText());
            JsonNode manifest = JSON.readTree(stored.content());
            assertThat(stored.mediaType()).as("the manifest's type as pushed").isEqualTo("application/vnd.oci.image.manifest.v1+json");
            JsonNode config = JSON.readTree(registry.blob(manifest.path("config").path("digest").asText()));
            assertThat(config.at("/config/Entrypoint")).isEqualTo(JSON.readTree("[\"java\", \"-XX:+AutoCreateSharedArchive\", "
                + "\"-XX:SharedArchiveFile=/tmp/atelier-model.jsa\", \"-jar\", \"/app/model.jar\"]"));
            JsonNode layers = manifest.path("layers");
            assertThat(layers.size()).isEqualTo(2);
            for (JsonNode layer : layers) {
                byte[] blob = registry.blob(layer.path("digest").asText());
                assertThat(blob).as("layer " + layer.path("digest").asText() + " was uploaded").isNotNull();
                assertThat(TestRegistry.digest(blob)).isEqualTo(layer.path("digest").asText());
                assertThat((long) blob.length).isEqualTo(layer.path("size").asLong());
            }
            byte[] jar = untar(gunzip(registry.blob(layers.get(1).path("digest").asText()))).get("app/model.jar");
            assertThat(jar).as("the package's jar in the pushed image").isNotNull();
        }
    }

    /** The blob a descriptor names, after checking its size. */
    private static byte[] blob(Map<String, byte[]> entries, JsonNode descriptor) {
        String digest = descriptor.path("digest").asText();
        byte[] content = entries.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(content).as("blob " + digest).isNotNull();
        assertThat((long) content.length).as("size of " + digest).isEqualTo(descriptor.path("size").asLong());
        return content;
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : new java.util.TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                out.putArchiveEntry(entry);
                out.write(file.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isFile()) {
                    entries.put(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDockerBaseWithNoDaemonAnsweringIsRefusedClearlyAndWritesNothing() {
        // DOCKER_HOST names a socket nobody listens on: the docker command (or its absence) cannot reach a daemon
        Path image = dir.resolve("from-docker.tar");
        Cli.Result refused = Cli.runAgainst(Cli.environment(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-daemon.sock")), ""),
                server.url(), "models", "package", "pkg-onnx/1", "--format", "oci", "--base-image", "docker://eclipse-temurin:21-jre",
                "--to", image.toString());
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("cannot build the image on docker://eclipse-temurin:21-jre",
                "a docker:// base is read from a Docker daemon", "none answered", "tar:///path/to/image.tar");
        assertThat(image).doesNotExist();
    }

    @Test
    void anUnknownModelOrVersionIsRefusedAndWritesNothing() {
        Path folder = dir.resolve("none");
        Cli.Result unknown = atelier("models", "package", "no-such-model/1", "--to", folder.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(unknown.err()).contains("no-such-model");
        Cli.Result unknownVersion = atelier("models", "package", "pkg-onnx/99", "--to", folder.toString());
        assertThat(unknownVersion.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(unknownVersion.err()).contains("99");
        assertThat(folder).doesNotExist();
    }

    @Test
    void aModelWithNoJavaFlavorIsRefused() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("pyfunc"));
        Files.writeString(folder.resolve("MLmodel"), "artifact_path: model\nflavors:\n  python_function:\n    loader_module: score\n");
        Files.writeString(folder.resolve("score.py"), "def _load_pyfunc(path):\n    return None\n");
        serving.register("pkg-pyfunc", folder);
        Cli.Result refused = atelier("models", "package", "pkg-pyfunc/1", "--to", dir.resolve("py-out").toString());
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("has no flavor a package can serve", "python_function", "onnx");
    }

    @Test
    void anUnwritableTargetIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result refused = atelier("models", "package", "pkg-onnx/1", "--to", file.resolve("sub").toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("--to " + file.resolve("sub"));
        Cli.Result folderForOci = atelier("models", "package", "pkg-onnx/1", "--format", "oci", "--base-image", "tar://" + file,
                "--to", dir.toString());
        assertThat(folderForOci.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(folderForOci.err()).contains("is a folder");
    }

    @Test
    void usageErrorsNameTheMissingOption() {
        assertThat(atelier("models", "package", "pkg-onnx/1").err()).contains("--format jar needs --to FOLDER");
        Cli.Result noBase = atelier("models", "package", "pkg-onnx/1", "--format", "oci", "--to", "x.tar");
        assertThat(noBase.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBase.err()).contains("--format oci needs --base-image");
        assertThat(atelier("models", "package", "pkg-onnx/1", "--format", "oci", "--base-image", "b").err())
                .contains("either --to FILE.tar or --push IMAGE");
    }

    private static String inputName(String metadataUrl) throws Exception {
        return JSON.readTree(get(metadataUrl).body()).path("inputs").get(0).path("name").asText();
    }

    static HttpResponse<String> post(String url, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Cli.Result atelier(String... args) {
        return Cli.runAgainst(server.url(), args);
    }

    /** A package's jar run by this JDK's {@code java -jar} on a free port; closing it kills the process. */
    static final class PackageProcess implements AutoCloseable {
        final Process process;
        final int port;

        private PackageProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static PackageProcess start(Path jar) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = Files.createTempFile(jar.getParent(), "package", ".log");
            Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "0", "--host", "127.0.0.1")
                    .redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher matcher = line == null ? null : LISTENING.matcher(line);
            if (matcher == null || !matcher.find()) {
                process.destroyForcibly();
                throw new AssertionError("the package did not start: " + line + "\n" + Files.readString(log));
            }
            return new PackageProcess(process, Integer.parseInt(matcher.group(1)));
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
