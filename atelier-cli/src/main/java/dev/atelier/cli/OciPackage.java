package dev.atelier.cli;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.docker.CliDockerClient;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A model package's jar as an OCI image, built with Jib (no Docker daemon): the base image the user
 * names, plus one layer holding {@value #JAR} and an entrypoint {@code java -jar} on it, listening on
 * port 8080 ({@code PORT}). The base is a registry reference or a local image tarball ({@code tar://}
 * followed by its path, as {@code docker save} writes it); the result is an image tarball in the OCI layout
 * or a push. Stateless.
 */
final class OciPackage {
    static final String JAR = "/app/model.jar";
    /**
     * The entrypoint: the JVM keeps a class-data archive of what the package loads (written by the first start, mapped by
     * the next ones of the same container) and the package its ONNX Runtime library in a cache, both below /tmp, which
     * any user may write.
     */
    static final List<String> ENTRYPOINT = List.of("java", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=/tmp/atelier-model.jsa",
            "-jar", JAR);
    private static final String TAR_PREFIX = "tar://";
    private static final String DOCKER_PREFIX = "docker://";

    private OciPackage() {
    }

    /** The image that was written or pushed. */
    record Built(String reference, String digest) {
    }

    /**
     * Writes the image as a tarball in the OCI layout, tagged {@code name}; {@code environment} is the CLI's (a
     * {@code docker://} base is read by the docker command run with its {@code DOCKER_*} variables, such as {@code DOCKER_HOST}).
     */
    static Built tarball(Path jar, String baseImage, String name, Path target, Map<String, String> environment) {
        try {
            return build(jar, baseImage, Containerizer.to(TarImage.at(target.toAbsolutePath()).named(name)), name, environment);
        } catch (InvalidImageReferenceException e) {
            throw AtelierException.invalidParameter("--image-name '" + name + "' is not an image reference: " + e.getMessage());
        }
    }

    /**
     * Pushes the image to {@code reference}, with the credentials Docker's configuration or credential helpers hold;
     * {@code allowInsecure} lets Jib fall back to plain HTTP or an unverified certificate (a registry on one's own network).
     */
    static Built push(Path jar, String baseImage, String reference, boolean allowInsecure, Map<String, String> environment) {
        try {
            return build(jar, baseImage, Containerizer.to(withCredentials(reference)).setAllowInsecureRegistries(allowInsecure), reference,
                    environment);
        } catch (InvalidImageReferenceException e) {
            throw AtelierException.invalidParameter("--push '" + reference + "' is not an image reference: " + e.getMessage());
        }
    }

    private static Built build(Path jar, String baseImage, Containerizer containerizer, String reference, Map<String, String> environment) {
        Path caches = null;
        try {
            JibContainerBuilder builder = base(baseImage, environment);
            if (baseImage.startsWith(TAR_PREFIX)) {
                // a local base needs no shared cache of pulled layers: keep what Jib unpacks out of the user's cache folder
                caches = Files.createTempDirectory("atelier-jib-");
                containerizer.setBaseImageLayersCache(caches.resolve("base")).setApplicationLayersCache(caches.resolve("application"));
            }
            JibContainer container = builder
                    .setFormat(ImageFormat.OCI)
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("model package").addEntry(jar, AbsoluteUnixPath.get(JAR)).build())
                    .setEntrypoint(ENTRYPOINT)
                    .setProgramArguments(List.of())
                    .addEnvironmentVariable("PORT", "8080")
                    .addEnvironmentVariable("ATELIER_CACHE_DIR", "/tmp/atelier-cache")
                    .setExposedPorts(Set.of(Port.tcp(8080)))
                    .setLabels(Map.of("org.opencontainers.image.title", "Atelier model package"))
                    .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
                    .containerize(containerizer.setToolName("atelier"));
            return new Built(reference, container.getDigest().toString());
        } catch (InvalidImageReferenceException e) {
            throw AtelierException.invalidParameter("--base-image '" + baseImage + "' is not an image reference: " + e.getMessage());
        } catch (RegistryException e) {
            throw AtelierException.invalidParameter("the registry refused: " + e.getMessage());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw baseImage.startsWith(DOCKER_PREFIX) ? noDaemon(baseImage, cause)
                    : AtelierException.invalidParameter("cannot build the image on " + baseImage + ": " + cause.getMessage());
        } catch (CacheDirectoryCreationException | IOException e) {
            if (e instanceof IOException && baseImage.startsWith(DOCKER_PREFIX)) {
                throw noDaemon(baseImage, e);
            }
            throw new IllegalStateException("cannot build the image: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the image", e);
        } finally {
            deleteQuietly(caches);
        }
    }

    /**
     * Asks the Docker daemon for a {@code docker://} base (with the docker command, as the build would), before the jar
     * is written: no daemon answering, or none with that image, is refused at once. Other bases are checked by the build.
     */
    static void checkBase(String baseImage, Map<String, String> environment) {
        if (!baseImage.startsWith(DOCKER_PREFIX)) {
            return;
        }
        try {
            new CliDockerClient(CliDockerClient.DEFAULT_DOCKER_CLIENT, dockerEnvironment(environment))
                    .inspect(ImageReference.parse(baseImage.substring(DOCKER_PREFIX.length())));
        } catch (InvalidImageReferenceException e) {
            throw AtelierException.invalidParameter("--base-image '" + baseImage + "' is not an image reference: " + e.getMessage());
        } catch (IOException e) {
            throw noDaemon(baseImage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the Docker daemon for " + baseImage, e);
        }
    }

    /** The CLI's {@code DOCKER_*} variables, which the docker command is run with. */
    private static Map<String, String> dockerEnvironment(Map<String, String> environment) {
        Map<String, String> docker = new java.util.TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("DOCKER_")) {
                docker.put(name, value);
            }
        });
        return docker;
    }

    /** A docker:// base needs a Docker daemon; say so when reading it failed. */
    private static AtelierException noDaemon(String baseImage, Throwable cause) {
        return AtelierException.invalidParameter("cannot build the image on " + baseImage + ": a docker:// base is read from a Docker "
                + "daemon (with the docker command), and none answered with that image (" + cause.getMessage() + "); use a registry "
                + "reference or tar:///path/to/image.tar (as docker save writes it) instead");
    }

    private static JibContainerBuilder base(String baseImage, Map<String, String> environment) throws InvalidImageReferenceException {
        if (baseImage.startsWith(TAR_PREFIX)) {
            Path tar = Path.of(baseImage.substring(TAR_PREFIX.length()));
            if (!Files.isRegularFile(tar)) {
                throw AtelierException.invalidParameter("--base-image " + baseImage + ": " + tar + " is not a file");
            }
            return Jib.from(TarImage.at(tar));
        }
        if (baseImage.startsWith(DOCKER_PREFIX)) {
            return Jib.from(DockerDaemonImage.named(baseImage.substring(DOCKER_PREFIX.length())).setDockerEnvironment(dockerEnvironment(environment)));
        }
        return Jib.from(withCredentials(baseImage));
    }

    /** A registry image with the credentials of Docker's configuration file and the well-known credential helpers. */
    private static RegistryImage withCredentials(String reference) throws InvalidImageReferenceException {
        ImageReference parsed = ImageReference.parse(reference);
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(parsed, event -> { });
        return RegistryImage.named(parsed).addCredentialRetriever(credentials.dockerConfig())
                .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a built image for
        }
    }
}
