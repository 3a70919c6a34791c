package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The init container's shell script: downloads the code snapshot's zip ({@code GET /api/v1/snapshots/{id}/zip}) into
 * {@link KubernetesServingObjects#CODE_DIR} and each of the model's files through the artifact proxy ({@code GET
 * /api/2.0/mlflow-artifacts/artifacts/<path>/<file>}) into {@link KubernetesServingObjects#MODEL_DIR}, with {@code wget}
 * and {@code unzip} (busybox has both), sending the deployment's token when there is one. Any failed download fails
 * the init container, so the pod never starts on partial files.
 */
final class ServingFetchScript {
    /** Linux takes one argument of at most 128 KiB (MAX_ARG_STRLEN); the script is one, so it stays below. */
    static final int MAX_LENGTH = 120 * 1024;

    private ServingFetchScript() {
    }

    static String of(KubernetesServingSpec spec, String serverUrl) {
        String base = serverUrl + ("default".equals(spec.ref().workspace()) ? "" : "/w/" + spec.ref().workspace());
        StringBuilder script = new StringBuilder("set -e; AUTH=''; if [ -n \"$" + KubernetesServingObjects.TOKEN_KEY + "\" ]; then "
                + "AUTH=\"Authorization: Bearer $" + KubernetesServingObjects.TOKEN_KEY + "\"; fi; ");
        spec.code().ifPresent(code -> script.append("mkdir -p ").append(KubernetesServingObjects.CODE_DIR).append("; ")
                .append(wget(base + "/api/v1/snapshots/" + encode(code.snapshotId()) + "/zip", "/tmp/code.zip"))
                .append("unzip -o -q /tmp/code.zip -d ").append(KubernetesServingObjects.CODE_DIR).append("; rm -f /tmp/code.zip; "));
        String folder = base + "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(spec.model().artifactPath());
        for (String file : spec.model().files()) {
            String target = KubernetesServingObjects.MODEL_DIR + "/" + checkedRelative(file);
            int slash = target.lastIndexOf('/');
            script.append("mkdir -p ").append(quote(target.substring(0, slash))).append("; ")
                    .append(wget(folder + "/" + encodePath(file), target));
        }
        script.append("echo 'atelier: fetched the code and ").append(spec.model().files().size()).append(" model file(s)'");
        if (script.length() > MAX_LENGTH) {
            throw AtelierException.invalidParameter("Model '" + spec.model().name() + "' version " + spec.model().version() + " has "
                    + spec.model().files().size() + " files; the pods' download step cannot list that many (" + script.length()
                    + " characters, at most " + MAX_LENGTH + "): package the model in fewer files");
        }
        return script.toString();
    }

    private static String wget(String url, String target) {
        return "wget -q ${AUTH:+--header \"$AUTH\"} -O " + quote(target) + " " + quote(url) + "; ";
    }

    /** A model file's relative path; absolute paths and {@code ..} would write outside the model folder. */
    private static String checkedRelative(String file) {
        if (file.isEmpty() || file.startsWith("/") || ("/" + file + "/").contains("/../") || file.contains("\u0000")) {
            throw AtelierException.invalidParameter("Model file '" + file + "' is not a relative path inside the model's folder");
        }
        return file;
    }

    /** Percent-encodes each segment of a slash-separated path (spaces, '#', '?', non-ASCII). */
    private static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.replaceAll("^/+|/+$", "").split("/")) {
            if (!encoded.isEmpty()) {
                encoded.append('/');
            }
            encoded.append(encode(segment));
        }
        return encoded.toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A single-quoted shell word: nothing inside is expanded. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
