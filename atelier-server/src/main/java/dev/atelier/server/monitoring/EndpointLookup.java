package dev.atelier.server.monitoring;

/**
 * Tells whether an endpoint exists; implemented by the serving domain's endpoint service. The
 * monitoring routes call it before answering, so an unknown endpoint is a 404 and not an empty series.
 */
@FunctionalInterface
public interface EndpointLookup {
    /** Throws {@code RESOURCE_DOES_NOT_EXIST} naming the endpoint when {@code workspace} has no endpoint {@code endpoint}. */
    void requireExists(String workspace, String endpoint);
}
