package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Files under {@code mlflow-artifacts:} URIs (a run's {@code artifact_uri}, a model version's
 * download URI) through MLflow's artifact proxy, {@code /api/2.0/mlflow-artifacts/artifacts}, in this
 * client's workspace. Other URI schemes ({@code s3://}, {@code file:}) are not reached through the
 * server and are refused with {@link IllegalArgumentException}. Thread-safe.
 */
public final class ArtifactClient {
    private static final String SCHEME = "mlflow-artifacts:";

    private final HttpTransport transport;
    private final Function<String, String> paths;

    ArtifactClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Uploads {@code file} as {@code artifactUri/relativePath} (a run's {@code artifact_uri} and, say, {@code plots/loss.png}). */
    public void uploadFile(String artifactUri, String relativePath, Path file) {
        String path = join(proxyPath(artifactUri), requireNonNull(relativePath, "relativePath is null"));
        if (path.equals(proxyPath(artifactUri))) {
            throw new IllegalArgumentException("relativePath names no file: '" + relativePath + "'");
        }
        transport.putFile(endpoint(path), file);
    }

    /** Uploads every file under {@code directory} to {@code artifactUri/relativePath}, keeping the folder structure. */
    public void uploadDirectory(String artifactUri, String relativePath, Path directory) {
        String root = join(proxyPath(artifactUri), relativePath);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            transport.putFile(endpoint(join(root, relative)), file);
        }
    }

    /**
     * Downloads every file under {@code artifactUri} into {@code target} (created when missing).
     *
     * @return the files written, relative to {@code target}
     */
    public List<Path> downloadDirectory(String artifactUri, Path target) {
        List<Path> written = new ArrayList<>();
        download(proxyPath(artifactUri), target, Path.of(""), written);
        return written;
    }

    private void download(String remote, Path target, Path relative, List<Path> written) {
        JsonNode listing = transport.get(paths.apply("mlflow-artifacts/artifacts") + "?path=" + HttpTransport.encode(remote));
        try {
            Files.createDirectories(target.resolve(relative.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode file : listing.path("files")) {
            String path = JsonFields.text(file, "path");
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new IllegalStateException("the server listed an unusable artifact name '" + path + "'");
            }
            Path child = relative.resolve(name);
            if (JsonFields.bool(file, "is_dir")) {
                download(join(remote, name), target, child, written);
            } else {
                transport.getFile(endpoint(join(remote, name)), target.resolve(child.toString()));
                written.add(child);
            }
        }
    }

    /** The path under the artifact proxy that an {@code mlflow-artifacts:} URI names. */
    static String proxyPath(String artifactUri) {
        requireNonNull(artifactUri, "artifactUri is null");
        if (!artifactUri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("only mlflow-artifacts: URIs are served by the artifact proxy, got '" + artifactUri + "'");
        }
        String rest = artifactUri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return rest.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    private String endpoint(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            encoded.append('/').append(HttpTransport.encode(segment));
        }
        return paths.apply("mlflow-artifacts/artifacts") + encoded;
    }

    private static String join(String parent, String child) {
        String trimmed = child.replaceAll("^/+", "").replaceAll("/+$", "");
        return parent.isEmpty() ? trimmed : trimmed.isEmpty() ? parent : parent + "/" + trimmed;
    }
}
