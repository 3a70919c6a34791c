package dev.atelier.server.serving;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * What the router needs of one endpoint, as one immutable snapshot replaced whole when anything
 * changes: its auth, its started deployments and the traffic split over them.
 *
 * @param live     started deployments by name (the newest started generation of each)
 * @param weights  live traffic over {@code live}: the endpoint's split, or all to its first deployment when none is set
 * @param mirror   the deployment that gets a copy of {@code mirrorPercent}% of the requests
 */
record LiveEndpoint(String workspace, Endpoint endpoint, Optional<EndpointKeys> keys, Map<String, LiveDeployment> live,
                    List<Weighted> weights, Optional<LiveDeployment> mirror, int mirrorPercent) {
    LiveEndpoint {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(keys, "keys is null");
        live = Map.copyOf(live);
        weights = List.copyOf(weights);
        requireNonNull(mirror, "mirror is null");
    }

    /** A deployment and the upper bound of its share on a 0..total scale. */
    record Weighted(LiveDeployment deployment, int upTo) {
    }

    /** A deployment for one request, by weight among the ready ones; empty when none is ready. */
    Optional<LiveDeployment> pick() {
        if (weights.stream().allMatch(w -> w.deployment().backend.ready())) {
            // The usual case, on every request: one draw over the split as set, nothing allocated but the stream.
            if (weights.isEmpty()) {
                return Optional.empty();
            }
            int total = weights.getLast().upTo();
            int draw = ThreadLocalRandom.current().nextInt(total);
            for (Weighted weighted : weights) {
                if (draw < weighted.upTo()) {
                    return Optional.of(weighted.deployment());
                }
            }
        }
        // Some deployment with traffic is not ready: its share goes to the others, in proportion.
        List<Weighted> ready = weights.stream().filter(w -> w.deployment().backend.ready()).toList();
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        int[] shares = new int[ready.size()];
        int total = 0;
        for (int i = 0; i < ready.size(); i++) {
            int previous = weights.indexOf(ready.get(i)) == 0 ? 0 : weights.get(weights.indexOf(ready.get(i)) - 1).upTo();
            total += ready.get(i).upTo() - previous;
            shares[i] = total;
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < shares.length; i++) {
            if (draw < shares[i]) {
                return Optional.of(ready.get(i).deployment());
            }
        }
        return Optional.of(ready.getLast().deployment());
    }

    /** Whether this request is also mirrored. */
    boolean mirrorThis() {
        return mirror.isPresent() && ThreadLocalRandom.current().nextInt(100) < mirrorPercent;
    }
}
