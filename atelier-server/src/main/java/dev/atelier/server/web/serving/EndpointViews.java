package dev.atelier.server.web.serving;

import dev.atelier.server.serving.Deployment;
import dev.atelier.server.serving.DeploymentSpec;
import dev.atelier.server.serving.Endpoint;
import dev.atelier.server.serving.EndpointKeys;
import dev.atelier.server.serving.ProvisioningState;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.models.ModelPages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** What the Endpoints area's pages show: one record per page, each holding its {@link PageFrame}. */
public final class EndpointViews {
    private EndpointViews() {
    }

    /** The path of an endpoint's page relative to the workspace, its name encoded as one path segment. */
    public static String endpointPath(String name) {
        return "/endpoints/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The split as it applies: the one set, or all to the first deployment while none is set (as the router does). */
    static Map<String, Integer> effectiveTraffic(Endpoint endpoint, List<Deployment> deployments) {
        if (endpoint.traffic().isEmpty() && !deployments.isEmpty()) {
            return Map.of(deployments.getFirst().name(), 100);
        }
        return new TreeMap<>(endpoint.traffic());
    }

    static String describe(Map<String, Integer> weights) {
        return weights.isEmpty() ? "none" : new TreeMap<>(weights).entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue() + "%").collect(Collectors.joining(", "));
    }

    /** The endpoints of the workspace. */
    public record EndpointListView(PageFrame frame, List<EndpointRow> endpoints) {
        public EndpointListView {
            requireNonNull(frame, "frame is null");
            endpoints = List.copyOf(endpoints);
        }
    }

    /** One endpoint of the list, with the state of each of its deployments. */
    public record EndpointRow(String name, String url, String authMode, List<DeploymentState> deployments, String traffic,
                              String scoringUri, long updatedAt) {
        public EndpointRow {
            requireNonNull(name, "name is null");
            deployments = List.copyOf(deployments);
        }

        static EndpointRow of(PageFrame frame, Endpoint endpoint, List<Deployment> deployments, String baseUri) {
            return new EndpointRow(endpoint.name(), frame.url(endpointPath(endpoint.name())), endpoint.authMode().wireName(),
                    deployments.stream().map(d -> new DeploymentState(d.name(), d.state().wireName())).toList(),
                    describe(effectiveTraffic(endpoint, deployments)), baseUri + "/score", endpoint.updatedAt());
        }
    }

    /** A deployment's name and provisioning state, as the list shows them. */
    public record DeploymentState(String name, String state) {
    }

    /** What the traffic editor was refused with, and the values typed (field → text) to show again. */
    public record TrafficError(String message, Map<String, String> typed) {
        public TrafficError {
            requireNonNull(message, "message is null");
            typed = Map.copyOf(typed);
        }
    }

    /**
     * An endpoint's page.
     *
     * @param baseUri the URL its scoring routes hang off, as clients reach it
     * @param traffic the split as it applies now
     * @param keys    present only for users with WRITE on a key-auth endpoint whose keys exist
     */
    public record EndpointView(PageFrame frame, Endpoint endpoint, String baseUri, Map<String, Integer> traffic,
                               List<DeploymentRow> deployments, Optional<EndpointKeys> keys, Optional<TrafficError> trafficError) {
        public EndpointView {
            requireNonNull(frame, "frame is null");
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(baseUri, "baseUri is null");
            traffic = Map.copyOf(traffic);
            deployments = List.copyOf(deployments);
            requireNonNull(keys, "keys is null");
            requireNonNull(trafficError, "trafficError is null");
        }

        public String path() {
            return frame.url(endpointPath(endpoint.name()));
        }

        /** The native API URL of this endpoint (metrics and drift reports hang off it). */
        public String apiUrl() {
            return frame.url("/api/v1" + endpointPath(endpoint.name()));
        }

        public boolean keyAuth() {
            return endpoint.authMode() == dev.atelier.server.serving.AuthMode.KEY;
        }

        /** Whether the test form is shown: users with WRITE, and for key-auth endpoints only when the keys exist. */
        public boolean canTest() {
            return frame.canWrite() && (!keyAuth() || keys.isPresent());
        }

        public String trafficText() {
            return describe(traffic);
        }

        public String mirrorText() {
            return describe(endpoint.mirrorTraffic());
        }

        /** The live percentage shown in the editor: what was typed when refused, else the split in force. */
        public String liveValue(String deployment) {
            return trafficError.map(error -> error.typed().getOrDefault("traffic." + deployment, ""))
                    .orElse(String.valueOf(traffic.getOrDefault(deployment, 0)));
        }

        public String mirrorValue(String deployment) {
            return trafficError.map(error -> error.typed().getOrDefault("mirror." + deployment, ""))
                    .orElse(String.valueOf(endpoint.mirrorTraffic().getOrDefault(deployment, 0)));
        }

        public String deploymentNames() {
            return deployments.stream().map(DeploymentRow::name).collect(Collectors.joining(","));
        }
    }

    /** One deployment of an endpoint's page, with its model's page and its last log lines. */
    public record DeploymentRow(String name, String model, String modelName, String modelVersion, String modelUrl, int instanceCount,
                                String compute, String state, Optional<String> error, String requestSettings, String scoringScript,
                                List<String> logs) {
        public DeploymentRow {
            requireNonNull(name, "name is null");
            requireNonNull(error, "error is null");
            logs = List.copyOf(logs);
        }

        public boolean failed() {
            return state.equals(ProvisioningState.FAILED.wireName());
        }

        static DeploymentRow of(PageFrame frame, Deployment deployment, List<String> logs) {
            DeploymentSpec spec = deployment.spec();
            DeploymentSpec.RequestSettings limits = spec.requestSettings();
            String settings = limits.maxConcurrentRequestsPerInstance() + " concurrent per instance, timeout "
                    + limits.requestTimeoutMs() + " ms, max payload " + dev.atelier.server.web.Formats.bytes(limits.maxPayloadBytes());
            return new DeploymentRow(deployment.name(), spec.model(), spec.modelName(), spec.modelVersion(),
                    frame.url(ModelPages.versionPath(spec.modelName(), spec.modelVersion())), spec.instanceCount(), spec.compute(),
                    deployment.state().wireName(), deployment.error(), settings,
                    spec.scoringScript().map(script -> script + spec.environment().map(env -> " in " + env).orElse("")).orElse("no-code"),
                    logs);
        }
    }
}
