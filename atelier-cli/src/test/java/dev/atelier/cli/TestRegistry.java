package dev.atelier.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the Docker Registry HTTP API v2 (the OCI distribution spec) a push uses, in memory, over HTTPS with a
 * self-signed certificate on a random loopback port: {@code GET /v2/}, {@code HEAD}/{@code GET} a blob, a blob upload ({@code POST}, {@code PATCH}
 * chunks, {@code PUT ?digest=} checked against the bytes), and {@code PUT}/{@code GET}/{@code HEAD} a manifest by tag or
 * digest. No authentication. Thread-safe.
 */
final class TestRegistry implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]{36})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

    /** A stored manifest: its bytes and media type. */
    record Manifest(byte[] content, String mediaType) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    private TestRegistry(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts it over HTTPS with a self-signed certificate made for this run by the JDK's {@code keytool} in
     * {@code folder}: a client reaches it only when it accepts an unverified certificate (Jib's allowInsecureRegistries).
     * (Plain HTTP would leave a client's TLS handshake unanswered until it times out.)
     */
    static TestRegistry start(java.nio.file.Path folder) throws IOException, InterruptedException, java.security.GeneralSecurityException {
        java.nio.file.Path keystore = folder.resolve("registry.p12");
        char[] password = "registry-pass".toCharArray();
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(password), "-keypass",
                new String(password)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        TestRegistry registry = new TestRegistry(server);
        server.createContext("/", exchange -> {
            try (exchange) {
                registry.handle(exchange);
            }
        });
        server.start();
        return registry;
    }

    /** {@code host:port}, the registry part of an image reference. */
    String host() {
        return "localhost:" + server.getAddress().getPort();
    }

    /** The manifest stored under {@code repository} and a tag or digest, or null. */
    Manifest manifest(String repository, String reference) {
        return manifests.get(repository + "@" + reference);
    }

    byte[] blob(String digest) {
        return blobs.get(digest);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        Matcher matcher;
        if (path.equals("/v2/") || path.equals("/v2")) {
            send(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        } else if ((matcher = UPLOAD.matcher(path)).matches()) {
            upload(exchange, method, matcher.group(1), matcher.group(2));
        } else if ((matcher = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
            String id = UUID.randomUUID().toString();
            uploads.put(id, new ByteArrayOutputStream());
            exchange.getResponseHeaders().set("Location", "/v2/" + matcher.group(1) + "/blobs/uploads/" + id);
            exchange.getResponseHeaders().set("Range", "0-0");
            send(exchange, 202, new byte[0], null);
        } else if ((matcher = BLOB.matcher(path)).matches() && (method.equals("HEAD") || method.equals("GET"))) {
            byte[] blob = blobs.get(matcher.group(2));
            if (blob == null) {
                send(exchange, 404, method.equals("HEAD") ? null : "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8),
                        "application/json", 0);
            } else {
                exchange.getResponseHeaders().set("Docker-Content-Digest", matcher.group(2));
                send(exchange, 200, method.equals("HEAD") ? null : blob, "application/octet-stream", blob.length);
            }
        } else if ((matcher = MANIFEST.matcher(path)).matches()) {
            manifest(exchange, method, matcher.group(1), matcher.group(2));
        } else {
            send(exchange, 404, new byte[0], null);
        }
    }

    private void upload(HttpExchange exchange, String method, String repository, String id) throws IOException {
        ByteArrayOutputStream upload = uploads.get(id);
        if (upload == null) {
            send(exchange, 404, new byte[0], null);
            return;
        }
        upload.write(exchange.getRequestBody().readAllBytes());
        String location = "/v2/" + repository + "/blobs/uploads/" + id;
        switch (method) {
            case "PATCH" -> {
                exchange.getResponseHeaders().set("Location", location);
                exchange.getResponseHeaders().set("Range", "0-" + Math.max(0, upload.size() - 1));
                send(exchange, 202, new byte[0], null);
            }
            case "PUT" -> {
                String query = exchange.getRequestURI().getRawQuery();
                String digest = query == null ? "" : java.net.URLDecoder.decode(query.replaceFirst("(^|.*&)digest=([^&]*).*", "$2"),
                        StandardCharsets.UTF_8);
                byte[] content = upload.toByteArray();
                if (!digest.equals(digest(content))) {
                    send(exchange, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes(StandardCharsets.UTF_8), "application/json");
                    return;
                }
                uploads.remove(id);
                blobs.put(digest, content);
                exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/" + digest);
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
                send(exchange, 201, new byte[0], null);
            }
            default -> send(exchange, 405, new byte[0], null);
        }
    }

    private void manifest(HttpExchange exchange, String method, String repository, String reference) throws IOException {
        switch (method) {
            case "PUT" -> {
                byte[] content = exchange.getRequestBody().readAllBytes();
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                Manifest manifest = new Manifest(content, type == null ? "" : type);
                String digest = digest(content);
                manifests.put(repository + "@" + reference, manifest);
                manifests.put(repository + "@" + digest, manifest);
                exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/manifests/" + digest);
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
                send(exchange, 201, new byte[0], null);
            }
            case "GET", "HEAD" -> {
                Manifest manifest = manifests.get(repository + "@" + reference);
                if (manifest == null) {
                    send(exchange, 404, method.equals("HEAD") ? null : "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"
                            .getBytes(StandardCharsets.UTF_8), "application/json", 0);
                    return;
                }
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest(manifest.content()));
                send(exchange, 200, method.equals("HEAD") ? null : manifest.content(), manifest.mediaType(), manifest.content().length);
            }
            default -> send(exchange, 405, new byte[0], null);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        send(exchange, status, body, contentType, body == null ? 0 : body.length);
    }

    /** Sends {@code body} (null: a HEAD answer announcing {@code length} bytes). */
    private static void send(HttpExchange exchange, int status, byte[] body, String contentType, long length) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body == null) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
