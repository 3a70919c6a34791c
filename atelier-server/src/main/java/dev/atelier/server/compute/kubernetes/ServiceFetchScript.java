package dev.atelier.server.compute.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The init container's shell script: fetches each {@link ServiceFiles.Remote.Zip} and unzips it into its folder, and
 * each file of a {@link ServiceFiles.Remote.Listed} into its folder, from the workspace's base URL with {@code wget}
 * and {@code unzip} (busybox has both), sending the workload's token when there is one. Any failed download fails
 * the init container, so the pod never starts on partial files.
 */
final class ServiceFetchScript {
    /** Linux takes one argument of at most 128 KiB (MAX_ARG_STRLEN); the script is one, so it stays below. */
    static final int MAX_LENGTH = 120 * 1024;

    private ServiceFetchScript() {
    }

    /** Whether the spec has anything to download (else there is no init container). */
    static boolean needed(ServiceSpec spec) {
        return spec.files().stream().anyMatch(files -> files.remote().filter(remote -> !(remote instanceof ServiceFiles.Remote.Text)).isPresent());
    }

    static String of(ServiceSpec spec, String serverUrl) {
        String base = serverUrl + ("default".equals(spec.id().workspace()) ? "" : "/w/" + spec.id().workspace());
        StringBuilder script = new StringBuilder("set -e; AUTH=''; if [ -n \"$" + KubernetesServiceObjects.TOKEN_KEY + "\" ]; then "
                + "AUTH=\"Authorization: Bearer $" + KubernetesServiceObjects.TOKEN_KEY + "\"; fi; ");
        int count = 0;
        for (ServiceFiles files : spec.files()) {
            if (files.remote().isEmpty()) {
                continue; // kept files: they are in their claim already
            }
            String folder = KubernetesServiceObjects.folder(files.name());
            switch (files.remote().get()) {
                case ServiceFiles.Remote.Zip zip -> {
                    String archive = "/tmp/" + files.name() + ".zip";
                    script.append("mkdir -p ").append(folder).append("; ").append(wget(base + "/" + encodePath(zip.path()), archive))
                            .append("unzip -o -q ").append(archive).append(" -d ").append(folder).append("; rm -f ").append(archive).append("; ");
                    count++;
                }
                case ServiceFiles.Remote.Listed listed -> {
                    String from = base + "/" + encodePath(listed.basePath());
                    for (String file : listed.files()) {
                        String target = folder + "/" + checkedRelative(files.name(), file);
                        int slash = target.lastIndexOf('/');
                        script.append("mkdir -p ").append(quote(target.substring(0, slash))).append("; ")
                                .append(wget(from + "/" + encodePath(file), target));
                        count++;
                    }
                    if (script.length() > MAX_LENGTH) {
                        throw AtelierException.invalidParameter("'" + files.name() + "' of " + spec.id().describe() + " has "
                                + listed.files().size() + " files; the pods' download step cannot list that many (" + script.length()
                                + " characters, at most " + MAX_LENGTH + "): package them in fewer files");
                    }
                }
                case ServiceFiles.Remote.Text text -> {
                    // shipped in the ConfigMap, nothing to download
                }
            }
        }
        script.append("echo 'atelier: fetched ").append(count).append(" file(s)'");
        return script.toString();
    }

    private static String wget(String url, String target) {
        return "wget -q ${AUTH:+--header \"$AUTH\"} -O " + quote(target) + " " + quote(url) + "; ";
    }

    /** A file's relative path; absolute paths and {@code ..} would write outside its folder. */
    private static String checkedRelative(String name, String file) {
        if (file.isEmpty() || file.startsWith("/") || ("/" + file + "/").contains("/../") || file.contains("\u0000")) {
            throw AtelierException.invalidParameter("File '" + file + "' of '" + name + "' is not a relative path inside its folder");
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
            encoded.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return encoded.toString();
    }

    /** A single-quoted shell word: nothing inside is expanded. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
