package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The rules of an endpoint's traffic split and mirror traffic, as Azure ML has them. */
final class TrafficRules {
    static final int MAX_MIRROR_PERCENT = 50;

    private TrafficRules() {
    }

    /**
     * Live traffic names only existing deployments and sums to 100 (or to 0: no live traffic); mirror
     * traffic goes to at most one deployment, at most 50%, and not to one that takes live traffic.
     */
    static void check(Map<String, Integer> traffic, Map<String, Integer> mirror, List<String> deployments) {
        TreeSet<String> unknown = new TreeSet<>(traffic.keySet());
        unknown.addAll(mirror.keySet());
        deployments.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw AtelierException.invalidParameter("Unknown deployment" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " in the traffic; the endpoint has " + (deployments.isEmpty() ? "no deployments" : new TreeSet<>(deployments)));
        }
        int sum = traffic.values().stream().mapToInt(Integer::intValue).sum();
        if (sum != 100 && sum != 0) {
            throw AtelierException.invalidParameter("Invalid value for 'traffic': the percentages " + traffic + " sum to " + sum
                    + "; they must sum to 100 (or to 0 for no live traffic)");
        }
        List<Map.Entry<String, Integer>> mirrored = mirror.entrySet().stream().filter(e -> e.getValue() > 0).toList();
        if (mirrored.size() > 1) {
            throw AtelierException.invalidParameter("Invalid value for 'mirror_traffic': mirror to one deployment at most, got " + mirror);
        }
        for (Map.Entry<String, Integer> entry : mirrored) {
            if (entry.getValue() > MAX_MIRROR_PERCENT) {
                throw AtelierException.invalidParameter("Invalid value " + entry.getValue() + " for 'mirror_traffic." + entry.getKey()
                        + "': mirror at most " + MAX_MIRROR_PERCENT + "% of the requests");
            }
            if (traffic.getOrDefault(entry.getKey(), 0) > 0) {
                throw AtelierException.invalidParameter("Deployment '" + entry.getKey() + "' takes live traffic; mirror traffic "
                        + "goes to a deployment with 0% live traffic");
            }
        }
    }
}
