package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks a model folder in the artifact store before it is registered: when it holds an
 * {@code MLmodel} file, the file must parse and every file it names must be there, except
 * environment files, whose absence MLflow accepts (reported back so the version is marked). Thread-safe.
 */
final class ModelFolderCheck {
    /** An MLmodel is a few kilobytes; anything this large is not one. */
    static final int MAX_MLMODEL_BYTES = 1024 * 1024;

    static final String FILE_NAME = "MLmodel";

    private final ArtifactService artifacts;

    ModelFolderCheck(ArtifactService artifacts) {
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    /**
     * Checks the {@code MLmodel} of the folder at {@code path}, when there is one.
     *
     * @return the environment files it names that are missing (conda.yaml, python_env.yaml): MLflow registers such a
     *         model, so the registry does too and marks the version; empty when none is missing or there is no MLmodel
     * @throws AtelierException INVALID_PARAMETER_VALUE when it does not parse or names a missing file that is not an
     *                          environment file (the model's own files: MLflow could not load it)
     */
    List<String> check(String workspace, String path, String source) {
        Optional<String> text = read(workspace, path + "/" + FILE_NAME);
        if (text.isEmpty()) {
            return List.of();
        }
        ModelDescription description;
        try {
            description = ModelDescription.parse(text.get());
        } catch (AtelierException e) {
            throw AtelierException.invalidParameter("The MLmodel file of '" + source + "' is not valid: " + e.getMessage());
        }
        List<String> missingEnvironment = new ArrayList<>();
        for (String file : description.referencedFiles()) {
            if (exists(workspace, path + "/" + file)) {
                continue;
            }
            if (!description.environmentFiles().contains(file)) {
                throw AtelierException.invalidParameter("The MLmodel file of '" + source + "' names '" + file
                        + "', which is not among the model's files.");
            }
            if (!missingEnvironment.contains(file)) {
                missingEnvironment.add(file);
            }
        }
        return List.copyOf(missingEnvironment);
    }

    /** The MLmodel text of a registered folder, for showing flavors and signature; empty when there is none or it no longer parses. */
    Optional<ModelDescription> describe(String workspace, String path) {
        try {
            return read(workspace, path + "/" + FILE_NAME).map(ModelDescription::parse);
        } catch (AtelierException e) {
            return Optional.empty();
        }
    }

    private Optional<String> read(String workspace, String file) {
        try (ArtifactContent content = artifacts.open(workspace, file)) {
            if (content.size() > MAX_MLMODEL_BYTES) {
                throw AtelierException.invalidParameter("The MLmodel file at '" + file + "' is larger than "
                        + MAX_MLMODEL_BYTES + " bytes.");
            }
            return Optional.of(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (AtelierException e) {
            if (e.errorCode() == dev.atelier.api.ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean exists(String workspace, String path) {
        try {
            if (!artifacts.list(workspace, path).isEmpty()) {
                return true;
            }
            artifacts.open(workspace, path).close();
            return true;
        } catch (AtelierException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
