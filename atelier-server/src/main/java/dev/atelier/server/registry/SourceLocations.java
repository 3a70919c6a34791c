package dev.atelier.server.registry;

import java.util.Optional;

/**
 * A domain that owns a kind of model-version source the registry does not, such as MLflow 3's logged models
 * ({@code models:/m-<model id>}), says where such a source's files are: a location the registry then reads as any
 * other source ({@code mlflow-artifacts:/...}). Registered with {@link RegistryService#addSourceLocations}; called on
 * any thread.
 */
@FunctionalInterface
public interface SourceLocations {
    /**
     * The location of {@code source}'s files, or empty when {@code source} is not of this domain's kind.
     *
     * @throws dev.atelier.api.AtelierException when it is of this kind but names nothing (RESOURCE_DOES_NOT_EXIST)
     */
    Optional<String> locate(String workspace, String source);
}
