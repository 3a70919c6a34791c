package dev.atelier.server.serving.script;

import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;

/**
 * Serves the workers of a deployment on its compute target: {@code workloads.serve(target, ...)} bound to the target.
 */
@FunctionalInterface
public interface ServiceLauncher {
    /** @see dev.atelier.server.compute.Workloads#serve */
    ServiceHandle serve(ServiceSpec spec, ServiceListener listener);
}
