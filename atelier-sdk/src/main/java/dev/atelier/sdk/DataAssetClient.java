package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Data assets of this client's workspace ({@code /api/v1/data}, {@code /api/v1/data-uploads};
 * docs/data.md). Objects are returned as the server's JSON. References are {@code name@latest},
 * {@code name:3} or the same with a {@code data:} prefix. Local files are uploaded in
 * {@value #CHUNK_BYTES}-byte chunks into a resumable upload session: after a failure,
 * {@link #upload} with the session's id continues where the server's copy ends. Thread-safe.
 */
public final class DataAssetClient {
    public static final int CHUNK_BYTES = 8 * 1024 * 1024;

    private final HttpTransport transport;
    private final Function<String, String> paths;

    DataAssetClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Hears how many bytes of how many went up. */
    @FunctionalInterface
    public interface Progress {
        void uploaded(long bytes, long total);
    }

    /** Starts an upload session and returns its id. */
    public String startUpload() {
        return transport.post(paths.apply("data-uploads"), HttpTransport.mapper().createObjectNode()).path("upload_id").asText();
    }

    /**
     * Starts an upload session for a local file or folder, declaring its size: the server refuses it
     * (QUOTA_EXCEEDED, 413) before a byte is sent when it would take the workspace over its upload quota.
     */
    public String startUpload(Path local) {
        long total = files(local).stream().mapToLong(DataAssetClient::size).sum();
        return transport.post(paths.apply("data-uploads"), HttpTransport.mapper().createObjectNode().put("size_bytes", total))
                .path("upload_id").asText();
    }

    /**
     * Uploads a local file or folder into session {@code uploadId}, skipping what the server
     * already holds of each file (so calling it again after a failure resumes).
     */
    public void upload(String uploadId, Path local, Progress progress) {
        requireNonNull(uploadId, "uploadId is null");
        Map<String, Long> held = new HashMap<>();
        transport.get(sessionPath(uploadId)).path("files").forEach(file -> held.put(file.path("path").asText(), file.path("size_bytes").asLong()));
        List<Path> files = files(local);
        long total = files.stream().mapToLong(DataAssetClient::size).sum();
        long done = 0;
        byte[] buffer = new byte[CHUNK_BYTES];
        for (Path file : files) {
            String relative = Files.isDirectory(local) ? local.relativize(file).toString().replace('\\', '/') : file.getFileName().toString();
            long offset = held.getOrDefault(relative, 0L);
            done += offset;
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                if (offset == 0 && size(file) == 0) {
                    transport.putBytes(chunkPath(uploadId, relative, 0), buffer, 0);
                }
                for (int read = in.readNBytes(buffer, 0, CHUNK_BYTES); read > 0; read = in.readNBytes(buffer, 0, CHUNK_BYTES)) {
                    transport.putBytes(chunkPath(uploadId, relative, offset), buffer, read);
                    offset += read;
                    done += read;
                    progress.uploaded(done, total);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        progress.uploaded(total, total);
    }

    /**
     * Registers a version. {@code source} is {@code datastore://<datastore>/<path>} or, with
     * {@code fromUpload}, an upload session's id.
     */
    public JsonNode create(String name, String type, String source, boolean fromUpload, Optional<String> description,
                           Map<String, String> tags) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", name).put("type", type)
                .put(fromUpload ? "upload_id" : "path", source);
        description.ifPresent(text -> body.put("description", text));
        ObjectNode tagNode = body.putObject("tags");
        tags.forEach(tagNode::put);
        return transport.post(paths.apply("data"), body);
    }

    /** The latest version of every asset. */
    public JsonNode list(boolean includeArchived) {
        return transport.get(paths.apply("data") + (includeArchived ? "?include_archived=true" : "")).path("data");
    }

    public JsonNode versions(String name) {
        return transport.get(paths.apply("data/" + HttpTransport.encode(name) + "/versions")).path("versions");
    }

    /** One version with its profile. */
    public JsonNode get(String reference) {
        return transport.get(versionPath(reference));
    }

    public JsonNode archive(String reference, boolean archived) {
        return transport.post(versionPath(reference) + (archived ? "/archive" : "/restore"), HttpTransport.mapper().createObjectNode());
    }

    public void delete(String reference, boolean force) {
        transport.delete(versionPath(reference) + (force ? "?force=true" : ""));
    }

    public JsonNode lineage(String reference) {
        return transport.get(versionPath(reference) + "/lineage");
    }

    /** Downloads every file of a version into {@code target} (a folder), returning the files written. */
    public List<Path> download(String reference, Path target) {
        JsonNode files = transport.get(versionPath(reference) + "/files").path("files");
        List<Path> written = new ArrayList<>();
        for (JsonNode file : files) {
            String relative = file.path("path").asText();
            Path destination = target.resolve(relative).normalize();
            if (!destination.startsWith(target.normalize())) {
                throw new IllegalStateException("the server named a file outside the target folder: " + relative);
            }
            String encoded = String.join("/", Stream.of(relative.split("/")).map(HttpTransport::encode).toList());
            try (InputStream in = transport.openStream(versionPath(reference) + "/files/" + encoded)) {
                Files.createDirectories(destination.getParent());
                Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + destination + ": " + e.getMessage(), e);
            }
            written.add(destination);
        }
        return written;
    }

    /** Streams one file of a version into {@code out}. */
    public void download(String reference, String file, OutputStream out) {
        try (InputStream in = transport.openStream(versionPath(reference) + "/files/" + HttpTransport.encode(file))) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name@latest}, {@code name:3}, optionally prefixed {@code data:} → {@code data/<name>/versions/<version>}. */
    private String versionPath(String reference) {
        String body = reference.startsWith("data:") ? reference.substring(5) : reference;
        int at = body.lastIndexOf("@latest");
        int colon = body.lastIndexOf(':');
        String name;
        String version;
        if (at > 0 && at + "@latest".length() == body.length()) {
            name = body.substring(0, at);
            version = "latest";
        } else if (colon > 0) {
            name = body.substring(0, colon);
            version = body.substring(colon + 1);
        } else {
            throw new IllegalArgumentException("expected <name>@latest or <name>:<version>, got '" + reference + "'");
        }
        return paths.apply("data/" + HttpTransport.encode(name) + "/versions/" + HttpTransport.encode(version));
    }

    private String sessionPath(String uploadId) {
        return paths.apply("data-uploads/" + HttpTransport.encode(uploadId));
    }

    private String chunkPath(String uploadId, String relative, long offset) {
        String encoded = String.join("/", Stream.of(relative.split("/")).map(HttpTransport::encode).toList());
        return sessionPath(uploadId) + "/files/" + encoded + "?offset=" + offset;
    }

    private static List<Path> files(Path local) {
        if (!Files.exists(local)) {
            throw new IllegalArgumentException("no such file or folder: " + local);
        }
        if (!Files.isDirectory(local)) {
            return List.of(local);
        }
        try (Stream<Path> walk = Files.walk(local)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
