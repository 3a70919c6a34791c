package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;

import static java.util.Objects.requireNonNull;

/**
 * A {@code models:/} URI as MLflow writes them (mlflow/store/artifact/utils/models.py,
 * {@code _parse_model_uri}): {@code models:/<name>/<version>}, {@code models:/<name>/<stage>}
 * (the newest version in that stage), {@code models:/<name>/latest} (the newest version) and
 * {@code models:/<name>@<alias>}. {@link RegistryService#resolve} turns one into a version.
 */
public sealed interface ModelUri {
    String SCHEME = "models:/";

    String name();

    record Version(String name, long version) implements ModelUri {
        public Version {
            requireNonNull(name, "name is null");
        }
    }

    record Stage(String name, ModelStage stage) implements ModelUri {
        public Stage {
            requireNonNull(name, "name is null");
            requireNonNull(stage, "stage is null");
        }
    }

    record Latest(String name) implements ModelUri {
        public Latest {
            requireNonNull(name, "name is null");
        }
    }

    record Alias(String name, String alias) implements ModelUri {
        public Alias {
            requireNonNull(name, "name is null");
            requireNonNull(alias, "alias is null");
        }
    }

    static boolean isModelUri(String text) {
        return text != null && text.startsWith(SCHEME);
    }

    /**
     * Parses a {@code models:/} URI.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the URI when it is not one of the forms
     *         above or names an unknown stage
     */
    static ModelUri parse(String text) {
        if (!isModelUri(text) || text.length() == SCHEME.length() || text.startsWith(SCHEME + "/")) {
            throw invalid(text);
        }
        String path = text.substring(SCHEME.length());
        int slash = path.indexOf('/');
        if (slash >= 0) {
            String name = path.substring(0, slash);
            String suffix = path.substring(slash + 1);
            if (name.isEmpty() || suffix.isEmpty() || suffix.contains("/")) {
                throw invalid(text);
            }
            if (suffix.chars().allMatch(Character::isDigit)) {
                return new Version(name, parseVersion(suffix, text));
            }
            if (suffix.equalsIgnoreCase("latest")) {
                return new Latest(name);
            }
            return new Stage(name, ModelStage.parse(suffix));
        }
        int at = path.indexOf('@');
        if (at > 0 && at < path.length() - 1) {
            return new Alias(path.substring(0, at), path.substring(at + 1));
        }
        throw invalid(text);
    }

    private static long parseVersion(String digits, String text) {
        try {
            long version = Long.parseLong(digits);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(text);
    }

    private static AtelierException invalid(String text) {
        return AtelierException.invalidParameter("Not a proper models:/ URI: '" + text + "'. Models URIs must be of the form "
                + "'models:/<name>/<version>', 'models:/<name>/<stage>', 'models:/<name>/latest' or 'models:/<name>@<alias>'.");
    }
}
