package dev.atelier.server.serving.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Which deployment a set of Kubernetes objects belongs to, and the names and labels derived from it.
 * Every object of one deployment (ConfigMap, Secret, Deployment, Service) has the same name,
 * {@link #objectName()}.
 */
public record KubernetesServingRef(String workspace, String endpoint, String deployment) {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String WORKSPACE_LABEL = "atelier.dev/workspace";
    public static final String ENDPOINT_LABEL = "atelier.dev/endpoint";
    public static final String DEPLOYMENT_LABEL = "atelier.dev/deployment";
    private static final int MAX_NAME = 63;
    private static final int HASH_LENGTH = 8;

    public KubernetesServingRef {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployment, "deployment is null");
    }

    /**
     * {@code atelier-<endpoint>-<deployment>-<hash>} (with {@code <workspace>-} before the endpoint outside
     * {@code default}), lowercase, DNS-1123 and DNS-1035 safe (a Service name starts with a letter), at most 63
     * characters: the readable part is cut when long. The hash of workspace, endpoint and deployment is always
     * there, since names holding '-' would otherwise meet ({@code a-b}/{@code c} and {@code a}/{@code b-c}).
     */
    public String objectName() {
        String readable = "atelier-" + ("default".equals(workspace) ? "" : workspace + "-") + endpoint + "-" + deployment;
        String base = readable.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("--+", "-");
        int room = MAX_NAME - HASH_LENGTH - 1;
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        return base.replaceAll("-+$", "") + "-" + hash(workspace + "/" + endpoint + "/" + deployment);
    }

    /** The labels on every object and pod: who manages them and which workspace, endpoint and deployment they serve. */
    public Map<String, String> labels() {
        return Map.of(MANAGED_BY_LABEL, "atelier", WORKSPACE_LABEL, labelValue(workspace), ENDPOINT_LABEL, labelValue(endpoint),
                DEPLOYMENT_LABEL, objectName());
    }

    /** The label that selects this deployment's pods (the Deployment's and the Service's selector). */
    public Map<String, String> selector() {
        return Map.of(DEPLOYMENT_LABEL, objectName());
    }

    /** A label value: at most 63 of {@code [A-Za-z0-9._-]}, starting and ending with a letter or digit. */
    private static String labelValue(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "-");
        cleaned = cleaned.length() > MAX_NAME ? cleaned.substring(0, MAX_NAME) : cleaned;
        return cleaned.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
