package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.compute.WorkloadId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The name and labels of a service workload's Kubernetes objects (ConfigMap, Secret, Deployment, Service all have
 * the same name). The name is {@code atelier-<name>-<hash>} (with {@code <workspace>-} before the name outside
 * {@code default}, '/' and other characters as '-'), lowercase, DNS-1123 and DNS-1035 safe (a Service name starts with
 * a letter), at most 63 characters: the readable part is cut when long. The hash of workspace and name is always
 * there, since names holding '-' would otherwise meet ({@code a-b/c} and {@code a/b-c}). A scoring deployment
 * {@code <endpoint>/<deployment>} keeps the names its objects had before the execution layer existed.
 */
final class ServiceNames {
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String WORKSPACE_LABEL = "atelier.dev/workspace";
    private static final int MAX_NAME = 63;
    private static final int HASH_LENGTH = 8;

    private ServiceNames() {
    }

    static String objectName(WorkloadId id) {
        return name("atelier-" + ("default".equals(id.workspace()) ? "" : id.workspace() + "-") + id.name(),
                id.workspace() + "/" + id.name());
    }

    /**
     * The PersistentVolumeClaim that keeps the files of {@code key} in {@code workspace} across workloads
     * ({@code ServiceFiles#kept}): {@code atelier-files-<key>-<hash>}, named as the other objects.
     */
    static String claimName(String workspace, String key) {
        return name("atelier-files-" + ("default".equals(workspace) ? "" : workspace + "-") + key, "files:" + workspace + "/" + key);
    }

    private static String name(String readable, String hashed) {
        String base = readable.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("--+", "-");
        int room = MAX_NAME - HASH_LENGTH - 1;
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        return base.replaceAll("-+$", "") + "-" + hash(hashed);
    }

    /** {@code atelier.dev/<owner>}: its value, the object name, selects the workload's pods. */
    static String selectorLabel(WorkloadId id) {
        return "atelier.dev/" + id.owner().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /**
     * The labels on every object and pod: who manages them, the workspace, each tag as {@code atelier.dev/<key>}, and
     * the selector label.
     */
    static Map<String, String> labels(WorkloadId id, Map<String, String> tags) {
        Map<String, String> labels = new HashMap<>();
        labels.put(MANAGED_BY_LABEL, "atelier");
        labels.put(WORKSPACE_LABEL, labelValue(id.workspace()));
        tags.forEach((key, value) -> labels.put("atelier.dev/" + key, labelValue(value)));
        labels.putAll(selector(id));
        return Map.copyOf(labels);
    }

    /** The labels of a claim of kept files: who manages it and the workspace, no workload's (it outlives them). */
    static Map<String, String> claimLabels(String workspace) {
        return Map.of(MANAGED_BY_LABEL, "atelier", WORKSPACE_LABEL, labelValue(workspace), "atelier.dev/kept-files", "true");
    }

    /** The label that selects the workload's pods (the Deployment's and the Service's selector). */
    static Map<String, String> selector(WorkloadId id) {
        return Map.of(selectorLabel(id), objectName(id));
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
