package dev.atelier.server.compute.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod scripts, run for real: with the host's static busybox (the fetch image's binary, Debian's
 * busybox-static in CI) as the tools, and a real HTTP server on a random port standing in for Atelier.
 * The main container's command is run as it is given to Kubernetes, the init script with busybox's sh.
 */
class PodScriptsTest {
    private static final String TOKEN = "atl_pod-token";
    /** Found on the PATH by the init container's command, as in the fetch image. */
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    @TempDir
    Path temp;
    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int uploadStatus = 200;

    record Received(String method, String path, String query, String authorization, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        assertThat(BUSYBOX).as("busybox-static is installed (.ci/run installs it)").isExecutable();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        byte[] answer = switch (path) {
            case "/code.zip" -> zip(Map.of("train.py", "print(1)", "lib/util.py", "X = 1"));
            case "/input.zip" -> zip(Map.of("a.csv", "x\n1\n"));
            case "/empty.zip" -> zip(Map.of());
            default -> null;
        };
        int status = path.endsWith("/outputs") ? uploadStatus : answer == null ? 404 : 200;
        byte[] out = answer == null ? "{}".getBytes(StandardCharsets.UTF_8) : answer;
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    @Test
    void fetchScriptUnpacksEachZipIntoItsFolderWithTheTokenAndCopiesBusybox() throws Exception {
        Path tools = temp.resolve("tools");
        List<String> command = PodScripts.fetchCommand(List.of(new PodScripts.Fetch(url("/code.zip"), temp + "/code"),
                new PodScripts.Fetch(url("/input.zip"), temp + "/inputs/train data"),
                new PodScripts.Fetch(url("/empty.zip"), temp + "/inputs/empty")), tools.toString());

        Result result = run(command, temp, true);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(temp.resolve("code/train.py"))).isEqualTo("print(1)");
        assertThat(Files.readString(temp.resolve("code/lib/util.py"))).isEqualTo("X = 1");
        assertThat(Files.readString(temp.resolve("inputs/train data/a.csv"))).isEqualTo("x\n1\n");
        assertThat(temp.resolve("inputs/empty")).isEmptyDirectory();
        assertThat(tools.resolve("busybox")).isExecutable();
        assertThat(received).extracting(Received::authorization).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void fetchScriptFailsWhenAZipCannotBeFetched() throws Exception {
        List<String> command = PodScripts.fetchCommand(List.of(new PodScripts.Fetch(url("/code.zip"), temp + "/code"),
                new PodScripts.Fetch(url("/missing.zip"), temp + "/inputs/x")), temp.resolve("tools").toString());
        assertThat(run(command, temp, true).exitCode()).isNotZero();
    }

    @Test
    void wrapperSendsTheOutputsAsATarAndKeepsTheCommandsExitCode() throws Exception {
        Path tools = installTools();
        List<String> command = PodScripts.mainCommand("mkdir -p outputs/sub && echo \"it's $((6 * 7))\" > outputs/sub/answer.txt"
                + " && echo ran && exit 3", temp.resolve("outputs").toString(), url("/api/v1/jobs/j/outputs"), tools.toString());

        Result result = run(command, temp, true);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("ran");
        Received upload = received.stream().filter(request -> request.method().equals("POST")).findFirst().orElseThrow();
        assertThat(upload.path()).isEqualTo("/api/v1/jobs/j/outputs");
        assertThat(upload.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(upload.contentType()).isEqualTo("application/gzip");
        assertThat(upload.query()).isEqualTo("encoding=base64");
        assertThat(untar(Base64.getMimeDecoder().decode(upload.body()))).containsExactly(Map.entry("sub/answer.txt", "it's 42\n"));
    }

    @Test
    void wrapperSendsNothingWithoutOutputFilesAndNoTokenHeaderWithoutAToken() throws Exception {
        Path tools = installTools();
        List<String> command = PodScripts.mainCommand("mkdir -p outputs/empty-folder", temp.resolve("outputs").toString(),
                url("/api/v1/jobs/j/outputs"), tools.toString());
        assertThat(run(command, temp, false).exitCode()).isZero();
        assertThat(received).isEmpty();

        Files.writeString(temp.resolve("outputs/empty-folder/model.bin"), "w");
        assertThat(run(command, temp, false).exitCode()).isZero();
        assertThat(received).singleElement().satisfies(request -> assertThat(request.authorization()).isNull());
    }

    @Test
    void aRefusedUploadFailsACommandThatSucceeded() throws Exception {
        Path tools = installTools();
        uploadStatus = 400;
        List<String> command = PodScripts.mainCommand("mkdir -p outputs && echo x > outputs/a.txt", temp.resolve("outputs").toString(),
                url("/api/v1/jobs/j/outputs"), tools.toString());

        Result result = run(command, temp, true);

        assertThat(result.exitCode()).isEqualTo(PodScripts.UPLOAD_FAILED);
        assertThat(result.output()).contains(PodScripts.UPLOAD_FAILED_LINE);
    }

    @Test
    void theCommandIsOneShellWordWhateverItHolds() {
        assertThat(PodScripts.quote("echo 'a' \"$B\"")).isEqualTo("'echo '\"'\"'a'\"'\"' \"$B\"'");
    }

    private Path installTools() throws IOException {
        Path tools = Files.createDirectories(temp.resolve("tools"));
        Files.copy(BUSYBOX, tools.resolve("busybox"));
        return tools;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path directory, boolean withToken) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().remove("MLFLOW_TRACKING_TOKEN");
        if (withToken) {
            builder.environment().put("MLFLOW_TRACKING_TOKEN", TOKEN);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> untar(byte[] gzipTar) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        List<String> links = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzipTar)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName().replaceFirst("^\\./", ""), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                } else if (entry.isSymbolicLink()) {
                    links.add(entry.getName());
                }
            }
        }
        assertThat(links).isEmpty();
        return files;
    }
}
