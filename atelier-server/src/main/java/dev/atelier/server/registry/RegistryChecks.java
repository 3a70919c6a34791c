package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;

/** The registry's input checks and not-found errors, with MLflow's messages. */
final class RegistryChecks {
    private RegistryChecks() {
    }

    static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw AtelierException.invalidParameter("Registered model name cannot be empty.");
        }
        return name;
    }

    /**
     * MLflow's alias rules (mlflow/utils/validation.py, {@code _validate_model_alias_name}), with
     * its messages: not empty, letters, digits, {@code _} and {@code -} only, at most 255
     * characters, and neither {@code latest} nor {@code v<digits>} (in any case), which name
     * versions in model URIs.
     */
    static String validAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw AtelierException.invalidParameter("Registered model alias name cannot be empty.");
        }
        if (!alias.matches("(?U)[\\w\\-]+")) {
            throw AtelierException.invalidParameter("Invalid alias name: '" + alias + "'. Names may only contain alphanumerics, "
                    + "underscores (_), and dashes (-).");
        }
        if (alias.length() > 255) {
            throw AtelierException.invalidParameter("Registered model alias name '" + alias + "' had length " + alias.length()
                    + ", which exceeded length limit of 255");
        }
        if (alias.equalsIgnoreCase("latest")) {
            throw AtelierException.invalidParameter("'latest' alias name (case insensitive) is reserved.");
        }
        if (alias.matches("[vV]\\d+")) {
            throw AtelierException.invalidParameter("Version alias name '" + alias + "' is reserved.");
        }
        return alias;
    }

    static long versionNumber(String version) {
        try {
            long number = Long.parseLong(version.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AtelierException.invalidParameter("Model version must be an integer, got '" + version + "'.");
    }

    static AtelierException modelNotFound(String name) {
        return AtelierException.notFound("Registered Model with name=" + name + " not found");
    }

    static AtelierException versionNotFound(String name, String version) {
        return AtelierException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
    }
}
