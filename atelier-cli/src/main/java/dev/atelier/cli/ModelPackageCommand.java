package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.scoring.PackageJar;
import dev.atelier.scoring.PackagedModel;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.ModelDownload;
import dev.atelier.sdk.ModelVersion;
import dev.atelier.sdk.ModelVersionDetail;
import dev.atelier.server.config.Version;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code atelier models package MODEL --format jar|oci ...}: a model version as a self-contained scoring server
 * (docs/model-packages.md). The CLI builds the package on the user's machine, not the server: the model's files
 * are downloaded as {@code models download} does, checked by loading them once with the same runtimes the
 * server uses, and written with this CLI's own copy of the scoring server's classes; an image is pushed with
 * the user's registry credentials, which the server never sees.
 */
@Command(name = "package", description = "Package a model version (NAME/VERSION, NAME@ALIAS, models:/...) as a self-contained "
        + "scoring server: an executable jar (java -jar) or an OCI image, to run where the Atelier server is not.")
final class ModelPackageCommand extends WorkspaceScopedCommand {
    enum Format { jar, oci }

    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--format", paramLabel = "jar|oci", defaultValue = "jar",
            description = "jar: one executable jar; oci: an OCI image running that jar (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--to", paramLabel = "PATH", description = "jar: the folder to write NAME-VERSION.jar into; oci: the image "
            + "tarball to write (docker load / podman load read it).")
    Path to;

    @Option(names = "--base-image", paramLabel = "IMAGE", description = "oci: the image to build on, with a Java 21+ runtime: a "
            + "registry reference (such as eclipse-temurin:21-jre), or a local image tarball as tar:///path/to/image.tar.")
    String baseImage;

    @Option(names = "--push", paramLabel = "IMAGE", description = "oci: push the image to this registry reference instead of "
            + "writing a tarball (credentials from the Docker configuration or credential helpers).")
    String push;

    @Option(names = "--allow-insecure-registry", description = "oci: let --push and a registry --base-image use plain HTTP or an "
            + "unverified certificate (a registry on your own network).")
    boolean allowInsecureRegistry;

    @Option(names = "--image-name", paramLabel = "IMAGE", description = "oci: the name the tarball's image is tagged with "
            + "(default: NAME:VERSION).")
    String imageName;

    @Override
    void run(AtelierClient client, Output out) {
        checkOptions();
        String uri = ModelUris.of(model);
        ModelVersionDetail detail = client.models().resolve(uri);
        ModelVersion version = detail.version();
        ModelRuntimes runtimes = ModelRuntimes.standard();
        List<String> flavors = new ArrayList<>();
        detail.json().path("flavors").fieldNames().forEachRemaining(flavors::add);
        if (flavors.stream().noneMatch(runtimes.flavors()::contains)) {
            throw AtelierException.invalidParameter("Model " + version.name() + " version " + version.version() + " has no flavor a "
                    + "package can serve: it has " + flavors + ", packages serve " + runtimes.flavors()
                    + " (deploy it to an online endpoint with a scoring script instead)");
        }
        Path jarTarget = format == Format.jar ? writableFolder(to).resolve(ModelsCommand.defaultFolder(version) + ".jar") : null;
        if (format == Format.oci) {
            OciPackage.checkBase(baseImage, environment().variables());
        }
        Path work = temporaryFolder();
        try {
            ModelDownload download = client.models().download(uri, work.resolve("model"), ModelDownload.Progress.NONE);
            MlModel mlModel = MlModelDirectory.validate(download.directory());
            String flavor = runtimes.flavorOf(mlModel);
            try (ModelRuntime loaded = runtimes.load(download.directory())) {
                // loading once refuses a model the package could not serve, before anything is written
                loaded.signature();
            }
            PackagedModel packaged = new PackagedModel(version.name(), version.version(), flavor, Version.current());
            Path jar = jarTarget != null ? jarTarget : work.resolve(ModelsCommand.defaultFolder(version) + ".jar");
            PackageJar.write(download.directory(), packaged, jar);
            if (format == Format.jar) {
                out.print(Output.mapper().createObjectNode().put("name", version.name()).put("version", version.version())
                                .put("flavor", flavor).put("format", "jar").put("path", jar.toString()).put("bytes", Files.size(jar)),
                        "Packaged " + version.name() + " version " + version.version() + " (" + flavor + ") into " + jar + " ("
                                + megabytes(Files.size(jar)) + "). Run it with: java -jar " + jar + " --port 8080");
                return;
            }
            String name = imageName != null ? imageName : ModelsCommand.defaultFolder(version).toString().replaceFirst("-(?=[^-]*$)", ":")
                    .toLowerCase(java.util.Locale.ROOT);
            Map<String, String> variables = environment().variables();
            OciPackage.Built built = push != null ? OciPackage.push(jar, baseImage, push, allowInsecureRegistry, variables)
                    : OciPackage.tarball(jar, baseImage, name, to, variables);
            out.print(Output.mapper().createObjectNode().put("name", version.name()).put("version", version.version())
                            .put("flavor", flavor).put("format", "oci").put("image", built.reference()).put("digest", built.digest())
                            .put("path", push != null ? "" : to.toString()),
                    "Packaged " + version.name() + " version " + version.version() + " (" + flavor + ") as image " + built.reference()
                            + " (" + built.digest() + ")" + (push != null ? ", pushed" : " in " + to
                            + ". Load it with: docker load -i " + to));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the package: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private void checkOptions() {
        if (format == Format.jar) {
            if (to == null) {
                throw usageError("--format jar needs --to FOLDER");
            }
            if (baseImage != null || push != null || imageName != null) {
                throw usageError("--base-image, --push and --image-name are options of --format oci");
            }
            return;
        }
        if (baseImage == null) {
            throw usageError("--format oci needs --base-image (an image with a Java 21+ runtime, or tar:///path/to/image.tar)");
        }
        if ((to == null) == (push == null)) {
            throw usageError("--format oci needs either --to FILE.tar or --push IMAGE");
        }
        if (to != null) {
            writableFolder(to.toAbsolutePath().getParent());
            if (Files.isDirectory(to)) {
                throw AtelierException.invalidParameter("--to " + to + " is a folder; --format oci writes an image tarball: name a file");
            }
        }
    }

    /** The folder, created when missing. */
    private static Path writableFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("--to " + folder + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw AtelierException.invalidParameter("--to " + folder + " is not a folder this user can write into");
        }
        return folder;
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("atelier-package-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
