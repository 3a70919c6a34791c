package dev.atelier.server.compute;

/**
 * What the domain that asked for a service hears about its replicas, where the backend watches them itself (the
 * server's host). For one replica calls come in order: {@link #started}, {@link #log} any number of times,
 * {@link #exited} once; a restarted replica starts over. Called on the backend's threads; implementations are
 * thread-safe. A platform that restarts replicas on its own (Kubernetes) calls nothing: read its status and logs.
 */
public interface ServiceListener {
    ServiceListener IGNORE = new ServiceListener() {
        @Override
        public void started(int replica) {
        }

        @Override
        public void log(int replica, String stream, String line) {
        }

        @Override
        public void exited(int replica, int exitCode) {
        }
    };

    void started(int replica);

    /** One line of a replica's output ({@code stdout}, {@code stderr}). */
    void log(int replica, String stream, String line);

    /** The replica's program ended (it crashed, or was stopped); every line it wrote was heard before. */
    void exited(int replica, int exitCode);
}
