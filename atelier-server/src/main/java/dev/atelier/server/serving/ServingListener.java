package dev.atelier.server.serving;

/** Told when an endpoint or one of its deployments changed, so that serving catches up at once. */
@FunctionalInterface
public interface ServingListener {
    void changed(String workspace, String endpoint);
}
