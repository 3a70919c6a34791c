package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;
import dev.atelier.server.http.Json;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Endpoints and deployments as the native API writes them. */
public final class EndpointJson {

    private EndpointJson() {
    }

    /** The base URL of an endpoint's scoring routes. */
    public static String baseUri(String serverUrl, String workspace, String endpoint) {
        return serverUrl + (Workspace.DEFAULT.equals(workspace) ? "" : "/w/" + workspace) + "/endpoints/" + endpoint;
    }

    static ObjectNode endpoint(String serverUrl, String workspace, Endpoint endpoint, List<Deployment> deployments) {
        ObjectNode json = Json.mapper().createObjectNode();
        String base = baseUri(serverUrl, workspace, endpoint.name());
        json.put("name", endpoint.name());
        json.put("description", endpoint.description());
        json.put("auth_mode", endpoint.authMode().wireName());
        json.put("scoring_uri", base + "/score");
        json.put("base_uri", base);
        json.set("traffic", Json.mapper().valueToTree(effectiveTraffic(endpoint, deployments)));
        json.set("mirror_traffic", Json.mapper().valueToTree(new TreeMap<>(endpoint.mirrorTraffic())));
        json.set("tags", Json.mapper().valueToTree(new TreeMap<>(endpoint.tags())));
        json.put("provisioning_state", "Succeeded");
        json.put("created_by", endpoint.createdBy());
        json.put("created_at", endpoint.createdAt());
        json.put("updated_at", endpoint.updatedAt());
        json.putArray("deployments").addAll(deployments.stream().map(deployment -> deployment(endpoint.name(), deployment)).toList());
        return json;
    }

    /** The split as it applies: the set one, or all to the first deployment while none is set. */
    static Map<String, Integer> effectiveTraffic(Endpoint endpoint, List<Deployment> deployments) {
        if (endpoint.traffic().isEmpty() && !deployments.isEmpty()) {
            return Map.of(deployments.getFirst().name(), 100);
        }
        return new TreeMap<>(endpoint.traffic());
    }

    static ObjectNode deployment(String endpoint, Deployment deployment) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", deployment.name());
        json.put("endpoint_name", endpoint);
        json.setAll(deployment.spec().toJson());
        json.put("provisioning_state", deployment.state().wireName());
        deployment.error().ifPresent(error -> json.put("error", error));
        json.put("generation", deployment.generation());
        json.put("created_at", deployment.createdAt());
        json.put("updated_at", deployment.updatedAt());
        return json;
    }
}
