package dev.atelier.server.compute.kubernetes;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The shell scripts of a run-to-completion pod (docs/jobs.md, "Kubernetes"). The init container
 * (the fetch image: busybox) downloads zips from the server into folders and copies its own
 * {@code busybox} binary into a shared {@code emptyDir}, the tools folder; the main container runs
 * the wrapper with that busybox's {@code sh}, so it needs nothing of the user's image but the
 * {@code /bin/sh} that runs the user's command: the wrapper runs the command, keeps its exit code,
 * sends the {@code outputs} folder (when it holds a file) as a gzip'd tar with {@code wget --post-file},
 * base64-encoded ({@code ?encoding=base64}: busybox's wget posts a file as a C string, cut at its first NUL byte,
 * and holds it in memory),
 * and exits with the command's code ({@link #UPLOAD_FAILED} when the command succeeded but its outputs
 * could not be sent). Both send {@code Authorization: Bearer $MLFLOW_TRACKING_TOKEN} when the variable
 * is set. The fetch image's busybox must be a static binary (it runs in the user's image). Pure
 * functions; thread-safe.
 */
public final class PodScripts {
    /** Where the init container puts {@code busybox} for the main container (an {@code emptyDir} mounted in both). */
    public static final String TOOLS_DIR = "/atelier-tools";
    /** The exit code of a pod whose command succeeded but whose outputs could not be sent. */
    public static final int UPLOAD_FAILED = 86;
    /** The line the wrapper writes (on stderr) before it exits with {@link #UPLOAD_FAILED}. */
    public static final String UPLOAD_FAILED_LINE = "[atelier] Could not upload the outputs";

    /** The variable holding the workload's token in both containers (the name MLflow clients read it from). */
    public static final String TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN";

    private static final String AUTH = "AUTH=''; if [ -n \"$" + TOKEN_VARIABLE + "\" ]; then "
            + "AUTH=\"Authorization: Bearer $" + TOKEN_VARIABLE + "\"; fi\n";

    private PodScripts() {
    }

    /** One zip to download and unpack into {@code folder} (created if missing). */
    public record Fetch(String url, String folder) {
        public Fetch {
            requireNonNull(url, "url is null");
            requireNonNull(folder, "folder is null");
        }
    }

    /** The init container's command, in the fetch image: {@code busybox sh -c} {@link #fetchScript}. */
    public static List<String> fetchCommand(List<Fetch> fetches, String toolsDir) {
        return List.of("busybox", "sh", "-c", fetchScript(fetches, toolsDir));
    }

    /**
     * The init container's script, run by busybox's {@code sh}: copies that busybox into {@code toolsDir},
     * then fetches and unpacks each zip in order; stops at the first failure (the pod then fails before
     * the command runs).
     */
    static String fetchScript(List<Fetch> fetches, String toolsDir) {
        StringBuilder script = new StringBuilder("set -e\n").append(AUTH)
                .append("mkdir -p ").append(quote(toolsDir)).append('\n')
                // The shell running this script is the image's busybox: copy that very binary.
                .append("cp /proc/$$/exe ").append(quote(toolsDir + "/busybox")).append('\n')
                .append("ZIP=$(mktemp)\n");
        for (Fetch fetch : fetches) {
            script.append("mkdir -p ").append(quote(fetch.folder())).append('\n')
                    .append("wget -q ${AUTH:+--header \"$AUTH\"} -O \"$ZIP\" ").append(quote(fetch.url())).append('\n')
                    // An empty zip (an empty folder) is only its end record: nothing to unpack.
                    .append("if [ \"$(wc -c < \"$ZIP\")\" -gt 22 ]; then unzip -o -q \"$ZIP\" -d ").append(quote(fetch.folder()))
                    .append("; fi\n");
        }
        return script.append("rm -f \"$ZIP\"\n").toString();
    }

    /**
     * The main container's command: {@code <toolsDir>/busybox sh -c <wrapper>}. The wrapper runs
     * {@code command} with the image's {@code /bin/sh -c}, passes on SIGTERM (the pod is being deleted),
     * then posts {@code outputsDir} as a gzip'd tar to {@code outputsUrl} if it holds a regular file.
     */
    public static List<String> mainCommand(String command, String outputsDir, String outputsUrl, String toolsDir) {
        return List.of(toolsDir + "/busybox", "sh", "-c", wrapper(command, outputsDir, outputsUrl, toolsDir));
    }

    static String wrapper(String command, String outputsDir, String outputsUrl, String toolsDir) {
        String busybox = quote(toolsDir + "/busybox");
        String outputs = quote(outputsDir);
        return AUTH
                + "/bin/sh -c " + quote(command) + " &\n"
                + "CHILD=$!\n"
                + "trap 'kill -TERM $CHILD 2>/dev/null' TERM INT\n"
                + "wait $CHILD; CODE=$?\n"
                // wait returns early when a trapped signal arrives: wait again until the command has ended.
                + "while kill -0 $CHILD 2>/dev/null; do wait $CHILD; CODE=$?; done\n"
                + "if [ -n \"$(" + busybox + " find " + outputs + " -type f 2>/dev/null | " + busybox + " head -n 1)\" ]; then\n"
                + "  TAR=$(" + busybox + " mktemp); B64=$(" + busybox + " mktemp)\n"
                + "  if " + busybox + " tar -czf \"$TAR\" -C " + outputs + " . && " + busybox + " base64 \"$TAR\" > \"$B64\" && "
                + busybox + " wget -q ${AUTH:+--header \"$AUTH\"} --header 'Content-Type: application/gzip' --post-file \"$B64\""
                + " -O /dev/null " + quote(outputsUrl + (outputsUrl.contains("?") ? "&" : "?") + "encoding=base64") + "; then :\n"
                + "  else echo " + quote(UPLOAD_FAILED_LINE) + " >&2; if [ $CODE -eq 0 ]; then CODE=" + UPLOAD_FAILED + "; fi; fi\n"
                + "  rm -f \"$TAR\" \"$B64\"\n"
                + "fi\n"
                + "exit $CODE\n";
    }

    /** {@code text} as one single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }
}
