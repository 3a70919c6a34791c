package dev.atelier.cli;

import java.util.Optional;

/**
 * How the CLI names model versions: a {@code models:/} URI as MLflow writes it, or the shorthand
 * {@code NAME/VERSION}, {@code NAME/STAGE}, {@code NAME@ALIAS}; a bare {@code NAME} is its newest
 * version ({@code models:/NAME/latest}) where a version is needed.
 */
final class ModelUris {
    private static final String SCHEME = "models:/";

    private ModelUris() {
    }

    /** Whether {@code text} names one version rather than a whole model. */
    static boolean namesVersion(String text) {
        return text.startsWith(SCHEME) || text.contains("/") || text.contains("@");
    }

    /** The {@code models:/} URI of {@code text}. */
    static String of(String text) {
        if (text.startsWith(SCHEME)) {
            return text;
        }
        return SCHEME + (namesVersion(text) ? text : text + "/latest");
    }

    /** The run of a {@code runs:/<run_id>/<path>} source. */
    static Optional<String> runOf(String source) {
        if (!source.startsWith("runs:/")) {
            return Optional.empty();
        }
        String rest = source.substring("runs:/".length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        return runId.isEmpty() ? Optional.empty() : Optional.of(runId);
    }
}
