package dev.atelier.server.batch;

import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * The folders a scoring-script batch job's workloads start with: {@code code-<instance>} (the code snapshot, the
 * driver and that instance's plan), {@code data} (the input, or its tables cut into mini-batches) and {@code model}.
 * {@link ScriptScoring} links each name to a folder in the job's work folder (a {@code <name>.location} file below
 * {@code staged/}, so a folder read in place is not copied); workloads on the server's host get a copy, workloads
 * elsewhere (Kubernetes) fetch each as a zip from {@link #remoteZip}, served by {@link BatchRoutes} from the server that
 * runs the job, while it runs. Stateless; thread-safe.
 */
final class StagedFolders {
    private static final Pattern NAME = Pattern.compile("code-[0-9]{1,3}|data|model");

    private final Path workRoot;

    StagedFolders(Path workRoot) {
        this.workRoot = requireNonNull(workRoot, "workRoot is null");
    }

    /** The path, below a workspace's base URL, at which a workload fetches the folder {@code name} of {@code job}. */
    static String remoteZip(String job, String name) {
        return "/api/v1/batch-jobs/" + job + "/staged/" + name + "/zip";
    }

    /** Records that the staged folder {@code name} of the job whose work folder is {@code work} is {@code folder}. */
    static void link(Path work, String name, Path folder) throws IOException {
        Path staging = Files.createDirectories(work.resolve("staged"));
        Path temporary = Files.createTempFile(staging, name, ".tmp");
        Files.writeString(temporary, folder.toAbsolutePath().toString(), StandardCharsets.UTF_8);
        Files.move(temporary, staging.resolve(name + ".location"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The folder staged as {@code name} for job {@code job} of {@code workspace}.
     *
     * @throws AtelierException 400 for a name that is not one of a batch job's, 404 when this server has no such folder
     *                          (the job is not running here, or has not staged it yet)
     */
    Path folder(String workspace, String job, String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for 'folder': expected code-<instance>, data or model");
        }
        Path location = workRoot.resolve(workspace).resolve(job).resolve("staged").resolve(name + ".location");
        if (!location.normalize().startsWith(workRoot.normalize()) || !Files.isRegularFile(location)) {
            throw AtelierException.notFound("Batch job '" + job + "' has no staged folder '" + name + "' on this server (its folders are "
                    + "served while it runs)");
        }
        return Path.of(Files.readString(location, StandardCharsets.UTF_8));
    }

    /** Writes every file below {@code folder} to {@code out} as a zip, with '/'-separated relative names. */
    static void writeZip(Path folder, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            zip.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
            Files.copy(file, zip);
            zip.closeEntry();
        }
        zip.finish();
    }
}
