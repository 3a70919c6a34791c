package dev.atelier.server.serving.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.Deployment;
import dev.atelier.server.serving.DeploymentTokenIssuer;
import dev.atelier.server.serving.EndpointService;
import dev.atelier.server.serving.ServingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * One read-only API token per Kubernetes deployment, issued for the endpoint's creator on the first
 * start and kept as the workspace secret {@code deployment-<endpoint>-<deployment>-token}, so that
 * every generation and every server replica hands the pods the same token; revoked, and its secret
 * deleted, with the deployment.
 */
public final class SecretDeploymentTokens implements DeploymentTokens, ServingListener {
    private static final Logger LOG = LoggerFactory.getLogger(SecretDeploymentTokens.class);
    private final DeploymentTokenIssuer issuer;
    private final SecretService secrets;
    private final EndpointService endpoints;

    public SecretDeploymentTokens(DeploymentTokenIssuer issuer, SecretService secrets, EndpointService endpoints) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
    }

    @Override
    public synchronized Optional<String> token(BackendStarter.StartRequest request) {
        String name = secretName(request.endpoint(), request.deployment());
        Optional<JsonNode> kept = read(request.workspace(), name);
        if (kept.isPresent()) {
            return Optional.of(kept.get().path("token").asText());
        }
        String user = endpoints.getEndpoint(request.workspace(), request.endpoint()).createdBy();
        Optional<DeploymentTokenIssuer.Issued> issued = issuer.issue(request.workspace(), user,
                "deployment:" + request.workspace() + "/" + request.endpoint() + "/" + request.deployment());
        if (issued.isEmpty()) {
            return Optional.empty();
        }
        try {
            secrets.create(request.workspace(), name, Json.mapper().writeValueAsString(Map.of("user", user, "token_id",
                    issued.get().tokenId(), "token", issued.get().token())), Optional.of("Download token of deployment "
                    + request.deployment() + " of endpoint " + request.endpoint()), SecretService.SYSTEM_PRINCIPAL);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(issued.get().token());
    }

    @Override
    public void changed(String workspace, String endpoint) {
    }

    @Override
    public synchronized void deploymentRemoved(String workspace, String endpoint, Deployment deployment) {
        String name = secretName(endpoint, deployment.name());
        read(workspace, name).ifPresent(kept -> {
            try {
                issuer.revoke(kept.path("user").asText(), kept.path("token_id").asText());
            } catch (AtelierException e) {
                LOG.warn("could not revoke the download token of deployment {} of endpoint {}: {}", deployment.name(), endpoint,
                        e.getMessage());
            }
            secrets.delete(workspace, name);
        });
    }

    private Optional<JsonNode> read(String workspace, String name) {
        try {
            return Optional.of(Json.mapper().readTree(secrets.readValue(workspace, name, OptionalInt.empty()).value()));
        } catch (AtelierException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    static String secretName(String endpoint, String deployment) {
        return "deployment-" + endpoint + "-" + deployment + "-token";
    }
}
