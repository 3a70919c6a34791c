package dev.atelier.server.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compute instances end to end: a real Jupyter server started through the API, used only through Atelier's proxy
 * with an Atelier token (REST, contents, a kernel over the proxied WebSocket), refused to others, stopped when idle
 * and by its schedule on the server's settable clock, and keeping its owner's files across stop and start.
 */
class NotebookInstancesTest {
    private static final String API = "/w/" + NotebookServerFixture.WORKSPACE + "/api/v1/compute-instances";
    private static NotebookServerFixture fixture;
    private static String alice;
    private static String bob;
    private static String owner;

    @BeforeAll
    static void start() {
        fixture = new NotebookServerFixture();
        alice = fixture.user("alice", "Data Scientist");
        bob = fixture.user("bob", "Data Scientist");
        owner = fixture.user("olivia", "Owner");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String proxy(String name) {
        return "/w/" + NotebookServerFixture.WORKSPACE + "/notebooks/" + name + "/";
    }

    @Test
    void aKernelRunsCodeThroughTheProxyAndOnlyItsOwnerGetsIn() throws Exception {
        JsonNode shown = fixture.createRunning(Map.of("type", "computeinstance", "name", "alice-nb", "description", "mine",
                "idle_time_before_shutdown_minutes", 60), alice);
        assertThat(shown.get("create_on_behalf_of").asText()).isEqualTo("alice");
        assertThat(shown.get("url").asText()).isEqualTo(proxy("alice-nb"));

        HttpJson.Response status = fixture.call("GET", proxy("alice-nb") + "api/status", null, alice);
        assertThat(status.status()).as(status.text()).isEqualTo(200);
        assertThat(status.json().has("last_activity")).isTrue();

        ObjectNode notebook = Json.mapper().createObjectNode();
        notebook.put("type", "notebook");
        notebook.putObject("content").put("nbformat", 4).put("nbformat_minor", 5).putArray("cells");
        notebook.withObject("content").putObject("metadata");
        HttpJson.Response put = fixture.call("PUT", proxy("alice-nb") + "api/contents/hello.ipynb", notebook, alice);
        assertThat(put.status()).as(put.text()).isIn(200, 201);
        HttpJson.Response read = fixture.call("GET", proxy("alice-nb") + "api/contents/hello.ipynb", null, alice);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("content").get("nbformat").asInt()).isEqualTo(4);

        assertThat(fixture.call("GET", proxy("alice-nb") + "api/status", null, null).status()).isEqualTo(401);
        HttpJson.Response other = fixture.call("GET", proxy("alice-nb") + "api/status", null, bob);
        assertThat(other.status()).as(other.text()).isEqualTo(403);
        assertThat(fixture.call("GET", proxy("alice-nb") + "api/status", null, owner).status())
                .as("an Owner of the workspace does not open another's instance").isEqualTo(403);

        HttpJson.Response kernel = fixture.call("POST", proxy("alice-nb") + "api/kernels", Map.of("name", "python3"), alice);
        assertThat(kernel.status()).as(kernel.text()).isEqualTo(201);
        String kernelId = kernel.json().get("id").asText();
        assertThat(execute(kernelId, alice, "1+1")).isEqualTo("2");
        assertThat(socketRefused(kernelId, bob)).as("another user's socket is refused").isTrue();
        assertThat(socketRefused(kernelId, null)).as("a socket without credentials is refused").isTrue();
        assertThat(socketRefused(kernelId, alice, "http://evil.example")).as("a page of another origin opens no socket").isTrue();

        // A terminal: created over REST, used over the proxied terminals socket.
        HttpJson.Response terminal = fixture.call("POST", proxy("alice-nb") + "api/terminals", Map.of(), alice);
        assertThat(terminal.status()).as(terminal.text()).isEqualTo(200);
        assertThat(runInTerminal(terminal.json().get("name").asText(), alice, "echo atelier-$((6*7))")).contains("atelier-42");

        // MLflow's variables reach the kernel: its calls land in the workspace as the owner, with no setup.
        String created = execute(kernelId, alice, String.join("\n",
                "import os, json, urllib.request",
                "request = urllib.request.Request(os.environ['MLFLOW_TRACKING_URI'] + '/api/2.0/mlflow/experiments/create',",
                "    data=json.dumps({'name': 'from-notebook'}).encode(), headers={'Content-Type': 'application/json',",
                "    'Authorization': 'Bearer ' + os.environ['MLFLOW_TRACKING_TOKEN']})",
                "json.loads(urllib.request.urlopen(request).read())['experiment_id']"));
        assertThat(created).matches("'\\d+'");
        HttpJson.Response experiment = fixture.call("GET", "/w/" + NotebookServerFixture.WORKSPACE
                + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=from-notebook", null, alice);
        assertThat(experiment.status()).as(experiment.text()).isEqualTo(200);
        String token = execute(kernelId, alice, "os.environ['MLFLOW_TRACKING_TOKEN']").replace("'", "");
        assertThat(fixture.call("GET", "/w/" + NotebookServerFixture.WORKSPACE + "/api/v1/compute-instances", null, "Bearer " + token)
                .status()).isEqualTo(200);
        assertThat(fixture.call("POST", API + "/alice-nb/stop", Map.of(), alice).status()).isEqualTo(200);
        assertThat(fixture.call("GET", "/w/" + NotebookServerFixture.WORKSPACE + "/api/v1/compute-instances", null, "Bearer " + token)
                .status()).as("the notebook's token is revoked when it stops").isEqualTo(401);
    }

    @Test
    void stopAndStartKeepTheFilesAndAnOwnerOfTheWorkspaceMayStopIt() {
        fixture.createRunning(Map.of("name", "keep-nb"), alice);
        HttpJson.Response put = fixture.call("PUT", proxy("keep-nb") + "api/contents/notes.txt",
                Map.of("type", "file", "format", "text", "content", "kept"), alice);
        assertThat(put.status()).as(put.text()).isIn(200, 201);

        HttpJson.Response stopped = fixture.call("POST", API + "/keep-nb/stop", Map.of(), owner);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("state").asText()).isEqualTo("Stopped");
        assertThat(fixture.call("GET", proxy("keep-nb") + "api/status", null, alice).status()).isEqualTo(409);
        assertThat(fixture.call("POST", API + "/keep-nb/start", Map.of(), bob).status()).isEqualTo(403);

        assertThat(fixture.call("POST", API + "/keep-nb/start", Map.of(), alice).status()).isEqualTo(200);
        fixture.awaitState("keep-nb", "Running", alice);
        HttpJson.Response read = fixture.call("GET", proxy("keep-nb") + "api/contents/notes.txt", null, alice);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("content").asText()).isEqualTo("kept");

        assertThat(fixture.call("DELETE", API + "/keep-nb", null, alice).status()).isEqualTo(200);
        assertThat(fixture.call("GET", API + "/keep-nb", null, alice).status()).isEqualTo(404);
        assertThat(fixture.server.notebooks().ownerFiles().list(NotebookServerFixture.WORKSPACE, "alice")).contains("notes.txt");
    }

    @Test
    void anIdleInstanceStopsAfterItsIdleTime() {
        fixture.createRunning(Map.of("name", "idle-nb", "idle_time_before_shutdown_minutes", 15), alice);
        fixture.server.notebooks().tick();
        assertThat(fixture.call("GET", API + "/idle-nb", null, alice).json().get("state").asText()).isEqualTo("Running");

        fixture.clock.advance(Duration.ofMinutes(16));
        fixture.server.notebooks().tick();
        JsonNode shown = fixture.call("GET", API + "/idle-nb", null, alice).json();
        assertThat(shown.get("state").asText()).isEqualTo("Stopped");
        assertThat(shown.get("state_message").asText()).contains("idle");
    }

    @Test
    void theScheduleStopsAndStartsAnInstance() {
        fixture.createRunning(Map.of("name", "sched-nb", "schedules", Map.of("compute_start_stop", List.of(
                Map.of("action", "stop", "trigger", Map.of("type", "cron", "expression", "0 18 * * *", "time_zone", "UTC")),
                Map.of("action", "start", "trigger", Map.of("type", "cron", "expression", "0 8 * * *", "time_zone", "UTC"))))), alice);
        // The next 17:59 UTC: no stop fires on the way there (a start may: the instance runs already).
        ZonedDateTime now = ZonedDateTime.ofInstant(fixture.clock.instant(), ZoneOffset.UTC);
        ZonedDateTime evening = now.withHour(17).withMinute(59).withSecond(0).withNano(0);
        if (!evening.isAfter(now)) {
            evening = evening.plusDays(1);
        }
        fixture.clock.set(evening.toInstant().toEpochMilli());
        fixture.server.notebooks().tick();
        assertThat(fixture.call("GET", API + "/sched-nb", null, alice).json().get("state").asText()).isEqualTo("Running");
        fixture.clock.set(evening.plusMinutes(2).toInstant().toEpochMilli());
        fixture.server.notebooks().tick();
        assertThat(fixture.call("GET", API + "/sched-nb", null, alice).json().get("state").asText()).isEqualTo("Stopped");

        fixture.clock.set(evening.plusHours(14).plusMinutes(2).toInstant().toEpochMilli());
        fixture.server.notebooks().tick();
        fixture.awaitState("sched-nb", "Running", alice);
    }

    @Test
    void thePortalListsTheUsersInstancesAndFilesAndStopsOne() throws Exception {
        fixture.createRunning(Map.of("name", "portal-nb", "idle_time_before_shutdown_minutes", 120), alice);
        HttpJson.Response page = portal("GET", "/w/" + NotebookServerFixture.WORKSPACE + "/notebooks", alice);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.text()).contains("data-instance=\"portal-nb\"", "Running", "min left",
                "href=\"/w/team/notebooks/portal-nb/\"", "target=\"_blank\"", "id=\"files\"");
        HttpJson.Response others = portal("GET", "/w/" + NotebookServerFixture.WORKSPACE + "/notebooks", bob);
        assertThat(others.text()).doesNotContain("data-instance=\"portal-nb\"");

        HttpJson.Response stopped = portal("POST", "/w/" + NotebookServerFixture.WORKSPACE + "/compute-instances/portal-nb/stop", alice);
        assertThat(stopped.status()).as(stopped.text()).isLessThan(400);
        assertThat(fixture.call("GET", API + "/portal-nb", null, alice).json().get("state").asText()).isEqualTo("Stopped");
        assertThat(portal("POST", "/w/" + NotebookServerFixture.WORKSPACE + "/compute-instances/portal-nb/start", bob).status())
                .isEqualTo(403);
    }

    private static HttpJson.Response portal(String method, String path, String authorization) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(fixture.server.url() + path))
                .header("Accept", "text/html").header("HX-Request", "true").header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, method.equals("GET") ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString("")).build();
        java.net.http.HttpResponse<String> response = fixture.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        return new HttpJson.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    @Test
    void badDocumentsAreRefusedNamingTheField() {
        HttpJson.Response idle = fixture.call("POST", API, Map.of("name", "bad-nb", "idle_time_before_shutdown_minutes", 5), alice);
        assertThat(idle.status()).isEqualTo(400);
        assertThat(idle.text()).contains("idle_time_before_shutdown_minutes");
        HttpJson.Response cron = fixture.call("POST", API, Map.of("name", "bad-nb", "schedules", Map.of("compute_start_stop", List.of(
                Map.of("action", "stop", "trigger", Map.of("type", "cron", "expression", "not cron"))))), alice);
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.text()).contains("expression");
        HttpJson.Response behalf = fixture.call("POST", API, Map.of("name", "bad-nb", "create_on_behalf_of", "alice"), bob);
        assertThat(behalf.status()).as("another user's instance needs MANAGE_COMPUTE").isEqualTo(403);
    }

    /** Runs {@code code} on the kernel over the proxied channels socket; the execute_result's text. */
    private static String execute(String kernelId, String authorization, String code) throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = connect(kernelId, authorization, null, messages).get(20, TimeUnit.SECONDS);
        String session = UUID.randomUUID().toString();
        String msgId = UUID.randomUUID().toString();
        ObjectNode request = Json.mapper().createObjectNode();
        request.putObject("header").put("msg_id", msgId).put("username", "test").put("session", session)
                .put("msg_type", "execute_request").put("version", "5.3").put("date", "2026-01-01T00:00:00Z");
        request.putObject("parent_header");
        request.putObject("metadata");
        request.putObject("content").put("code", code).put("silent", false).put("store_history", true)
                .putObject("user_expressions");
        request.withObject("content").put("allow_stdin", false).put("stop_on_error", true);
        request.put("channel", "shell");
        request.putArray("buffers");
        socket.sendText(Json.mapper().writeValueAsString(request), true).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String text = messages.poll(1, TimeUnit.SECONDS);
                if (text == null) {
                    continue;
                }
                JsonNode message = Json.mapper().readTree(text);
                if (message.path("msg_type").asText().equals("error")
                        && message.path("parent_header").path("msg_id").asText().equals(msgId)) {
                    throw new AssertionError("the kernel raised: " + message.path("content"));
                }
                if (message.path("msg_type").asText().equals("execute_result")
                        && message.path("parent_header").path("msg_id").asText().equals(msgId)) {
                    return message.path("content").path("data").path("text/plain").asText();
                }
            }
            throw new AssertionError("no execute_result within 60 s");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    /** Types {@code line} into the terminal over the proxied terminals socket; what it printed until the answer appeared. */
    private static String runInTerminal(String terminal, String authorization, String line) throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = connectPath("terminals/websocket/" + terminal, authorization, null, messages).get(20, TimeUnit.SECONDS);
        StringBuilder printed = new StringBuilder();
        try {
            socket.sendText(Json.mapper().writeValueAsString(java.util.List.of("stdin", line + "\r")), true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !printed.toString().contains("atelier-42")) {
                String text = messages.poll(1, TimeUnit.SECONDS);
                if (text != null && text.startsWith("[")) {
                    JsonNode message = Json.mapper().readTree(text);
                    if (message.path(0).asText().equals("stdout")) {
                        printed.append(message.path(1).asText());
                    }
                }
            }
            return printed.toString();
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    /** Whether opening the channels socket fails (refused upgrade) or is closed at once by the server. */
    private static boolean socketRefused(String kernelId, String authorization) throws Exception {
        return socketRefused(kernelId, authorization, null);
    }

    private static boolean socketRefused(String kernelId, String authorization, String origin) throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try {
            WebSocket socket = connect(kernelId, authorization, origin, messages).get(20, TimeUnit.SECONDS);
            String closed = messages.poll(10, TimeUnit.SECONDS);
            socket.abort();
            return closed != null && closed.startsWith("closed:");
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private static CompletableFuture<WebSocket> connect(String kernelId, String authorization, String origin,
                                                        LinkedBlockingQueue<String> messages) {
        return connectPath("api/kernels/" + kernelId + "/channels", authorization, origin, messages);
    }

    /** Opens {@code path} of alice-nb's notebook server through the proxy as a WebSocket. */
    private static CompletableFuture<WebSocket> connectPath(String path, String authorization, String origin,
                                                        LinkedBlockingQueue<String> messages) {
        URI uri = URI.create(fixture.server.url().replaceFirst("^http", "ws") + proxy("alice-nb") + path);
        WebSocket.Builder builder = fixture.http.newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                messages.add("closed:" + statusCode + " " + reason);
                return null;
            }
        });
    }
}
