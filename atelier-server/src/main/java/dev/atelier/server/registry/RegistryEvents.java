package dev.atelier.server.registry;

/**
 * Told of each change to the registry once it is committed (webhooks/ delivers them). Called on the writing request's
 * thread: an implementation returns at once and never throws, so a listener never slows or fails a registry call.
 */
public interface RegistryEvents {
    void published(String workspace, RegistryEvent event);
}
