package dev.atelier.server.jobs;

import dev.atelier.server.artifacts.ArtifactService;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Uploads what a job leaves behind into its run's artifacts: every regular file under the working
 * directory's {@code outputs/} (as {@code outputs/...}) and the captured log (as
 * {@code user_logs/std_log.txt}, Azure ML's name). Symbolic links are not followed.
 */
final class JobOutputs {
    static final String LOG_ARTIFACT = "user_logs/std_log.txt";

    private final ArtifactService artifacts;

    JobOutputs(ArtifactService artifacts) {
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    /** Returns the number of output files uploaded. */
    int upload(String workspace, String root, Path outputs, String log) throws IOException {
        artifacts.write(workspace, root + "/" + LOG_ARTIFACT, new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
        return uploadFolder(workspace, root, outputs);
    }

    /** Uploads the regular files under {@code outputs} as {@code outputs/...}; returns how many. */
    int uploadFolder(String workspace, String root, Path outputs) throws IOException {
        if (!Files.isDirectory(outputs)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(outputs)) {
            files = walk.filter(path -> Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path file : files) {
            String relative = outputs.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            try (InputStream in = Files.newInputStream(file)) {
                artifacts.write(workspace, root + "/outputs/" + relative, in);
            }
        }
        return files.size();
    }
}
