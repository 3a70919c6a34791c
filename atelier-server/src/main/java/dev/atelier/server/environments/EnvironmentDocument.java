package dev.atelier.server.environments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads an environment document: Azure ML's environment YAML (https://learn.microsoft.com/azure/machine-learning/
 * reference-yaml-environment) with Atelier's {@code python} and {@code requirements}, parsed as JSON. Fields:
 * {@code $schema} (ignored), {@code name}, {@code version}, {@code description}, {@code tags}, and either
 * {@code python} (a version such as {@code "3.11"} or an absolute interpreter path) with {@code requirements} (a list
 * of pip requirement lines, or their text) or {@code conda_file} (Azure's conda YAML, as text or a mapping); or
 * {@code image}, optionally with {@code conda_file}; or {@code build} ({@link ImageBuild}: {@code context: snapshot:<id>},
 * {@code dockerfile_path}) alone. Every refusal is INVALID_PARAMETER_VALUE naming the field, prefixed
 * with {@code prefix} (such as {@code environment.} for a job's inline environment). Stateless.
 */
public final class EnvironmentDocument {
    private static final Set<String> FIELDS = Set.of("$schema", "name", "version", "description", "tags", "python", "requirements",
            "conda_file", "image", "build");
    private static final Set<String> INLINE_FIELDS = Set.of("$schema", "description", "tags", "python", "requirements", "conda_file",
            "image", "build");
    /** A version ({@code 3}, {@code 3.11}, {@code 3.11.4}) or an absolute path without blanks. */
    private static final Pattern PYTHON_VERSION = Pattern.compile("\\d{1,2}(\\.\\d{1,3}){0,2}");
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[^\\s\\x00]{1,4095}");
    private static final Set<String> BUILD_FIELDS = Set.of("context", "dockerfile_path");
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final YAMLMapper YAML = new YAMLMapper();
    static final int MAX_TEXT_CHARS = 64 * 1024;

    private EnvironmentDocument() {
    }

    /**
     * What a document asks for, not yet stored.
     *
     * @param name    empty for an inline environment
     * @param version the version asked for, or empty for the next one
     */
    public record Draft(Optional<String> name, Optional<Integer> version, EnvironmentKind kind, Optional<String> executable,
                        Optional<String> image, Optional<String> python, Optional<String> requirements, Optional<String> condaFile,
                        Optional<ImageBuild> build, Map<String, String> tags, String description) {
        public Draft {
            requireNonNull(build, "build is null");
            tags = Map.copyOf(tags);
        }
    }

    /** A top-level environment document (the body of {@code POST /api/v1/environments}, a file of {@code environment create -f}). */
    public static Draft parse(JsonNode document) {
        return parse(document, "", FIELDS);
    }

    /** A job's inline {@code environment:} mapping, read under {@code prefix} (such as {@code environment.}); it has no name or version. */
    public static Draft parseInline(JsonNode document, String prefix) {
        return parse(document, prefix, INLINE_FIELDS);
    }

    private static Draft parse(JsonNode document, String prefix, Set<String> known) {
        if (document == null || !document.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for '" + (prefix.isEmpty() ? "the environment document"
                    : prefix.substring(0, prefix.length() - 1)) + "': expected a mapping of fields (python, requirements, conda_file, image, ...)");
        }
        document.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw AtelierException.invalidParameter("Unknown field '" + prefix + field + "' in the environment document; known: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        });
        Optional<String> name = text(document, prefix, "name");
        Optional<Integer> version = version(document, prefix);
        Optional<String> python = python(document, prefix);
        Optional<String> requirements = requirements(document, prefix);
        Optional<String> condaFile = condaFile(document, prefix);
        Optional<String> image = text(document, prefix, "image");
        image.filter(String::isBlank).ifPresent(blank -> {
            throw invalid(prefix, "image", "a container image reference");
        });
        Optional<ImageBuild> build = build(document, prefix);
        if (build.isPresent()) {
            String other = python.isPresent() ? "python" : requirements.isPresent() ? "requirements" : condaFile.isPresent() ? "conda_file"
                    : image.isPresent() ? "image" : "";
            if (!other.isEmpty()) {
                throw invalid(prefix, "build", "an image built from a Dockerfile alone: the Dockerfile installs what the image needs, "
                        + "and the server names the image; leave '" + prefix + other + "' out");
            }
            return new Draft(name, version, EnvironmentKind.IMAGE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), build, tags(document, prefix), text(document, prefix, "description").orElse(""));
        }
        if (image.isPresent() && python.isPresent()) {
            throw invalid(prefix, "python", "give either 'python' (a python environment) or 'image' (a container image), not both");
        }
        if (requirements.isPresent() && condaFile.isPresent()) {
            throw invalid(prefix, "requirements", "give either 'requirements' (pip) or 'conda_file' (conda), not both");
        }
        if (python.isPresent() && condaFile.isPresent()) {
            throw invalid(prefix, "python", "a conda_file names its own python (dependencies: [python=3.11, ...]); leave 'python' out");
        }
        if (image.isPresent() && requirements.isPresent()) {
            throw invalid(prefix, "requirements", "an image environment takes a 'conda_file', not 'requirements'");
        }
        if (image.isEmpty() && python.isEmpty() && requirements.isEmpty() && condaFile.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for '" + prefix + "python' or '" + prefix + "image': an environment "
                    + "is either python (with requirements or a conda_file) or a container image");
        }
        EnvironmentKind kind = image.isPresent() ? EnvironmentKind.IMAGE : EnvironmentKind.PYTHON;
        return new Draft(name, version, kind, Optional.empty(), image, python, requirements, condaFile, Optional.empty(), tags(document, prefix),
                text(document, prefix, "description").orElse(""));
    }

    /**
     * {@code build: {context: "snapshot:<id>", dockerfile_path: Dockerfile}}; {@code path} (a folder on the client's
     * machine) is for the CLI, which uploads it and sends {@code context}.
     */
    private static Optional<ImageBuild> build(JsonNode document, String prefix) {
        JsonNode node = document.get("build");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw invalid(prefix, "build", "a mapping with 'context' (snapshot:<id>) and 'dockerfile_path'");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (field.equals("path")) {
                throw invalid(prefix, "build.path", "a folder the CLI uploads (atelier environment create -f env.yml sends it as "
                        + "'build.context: snapshot:<id>'); the server takes 'build.context'");
            }
            if (!BUILD_FIELDS.contains(field)) {
                throw AtelierException.invalidParameter("Unknown field '" + prefix + "build." + field + "' in the environment document; "
                        + "known: " + String.join(", ", BUILD_FIELDS.stream().sorted().toList()));
            }
        });
        String context = text(node, prefix + "build.", "context").orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for '" + prefix + "build.context' in the environment document: the build context as snapshot:<id>"));
        if (!context.startsWith(ImageBuild.SNAPSHOT_PREFIX) || !SNAPSHOT_ID.matcher(context.substring(ImageBuild.SNAPSHOT_PREFIX.length()))
                .matches()) {
            throw invalid(prefix, "build.context", "snapshot:<id> (a code snapshot of this workspace), was '" + context + "'");
        }
        String dockerfile = text(node, prefix + "build.", "dockerfile_path").orElse("Dockerfile");
        if (!relativeInside(dockerfile)) {
            throw invalid(prefix, "build.dockerfile_path", "a path relative to the build context, inside it (such as Dockerfile or "
                    + "docker/train.Dockerfile), was '" + dockerfile + "'");
        }
        return Optional.of(new ImageBuild(context.substring(ImageBuild.SNAPSHOT_PREFIX.length()), dockerfile));
    }

    /** Whether {@code path} is a relative path with no empty, {@code .} or {@code ..} part. */
    private static boolean relativeInside(String path) {
        if (path.isEmpty() || path.length() > 1024 || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Integer> version(JsonNode document, String prefix) {
        JsonNode node = document.get("version");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText().strip();
        if ((node.isIntegralNumber() || node.isTextual()) && text.matches("[1-9]\\d{0,8}")) {
            return Optional.of(Integer.parseInt(text));
        }
        throw invalid(prefix, "version", "a positive whole number, such as 1 or \"2\" (versions here are numbers)");
    }

    private static Optional<String> python(JsonNode document, String prefix) {
        JsonNode node = document.get("python");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            throw invalid(prefix, "python", "a quoted version such as \"3.11\" (a YAML number loses trailing zeros: 3.10 reads as 3.1)");
        }
        String value = node.isTextual() ? node.asText().strip() : "";
        if (PYTHON_VERSION.matcher(value).matches() || ABSOLUTE_PATH.matcher(value).matches()) {
            return Optional.of(value);
        }
        throw invalid(prefix, "python", "a python version such as \"3.11\" (the host's python3.11) or an absolute interpreter path "
                + "such as /usr/bin/python3, was '" + node.asText() + "'");
    }

    private static Optional<String> requirements(JsonNode document, String prefix) {
        JsonNode node = document.get("requirements");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode line = node.get(i);
                if (!line.isValueNode() || line.isNull() || line.asText().isBlank() || line.asText().contains("\n")) {
                    throw invalid(prefix, "requirements[" + i + "]", "one pip requirement line, such as numpy==1.26.4");
                }
                lines.add(line.asText().strip());
            }
        } else if (node.isTextual()) {
            node.asText().lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(lines::add);
        } else {
            throw invalid(prefix, "requirements", "a list of pip requirement lines");
        }
        String text = String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
        if (text.length() > MAX_TEXT_CHARS) {
            throw invalid(prefix, "requirements", "at most " + MAX_TEXT_CHARS + " characters");
        }
        return Optional.of(text);
    }

    /** The conda file as YAML text; it must be a mapping whose {@code dependencies} (when present) is a list. */
    private static Optional<String> condaFile(JsonNode document, String prefix) {
        JsonNode node = document.get("conda_file");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        JsonNode mapping;
        String text;
        try {
            if (node.isTextual()) {
                text = node.asText();
                mapping = YAML.readTree(text);
            } else {
                mapping = node;
                text = YAML.writeValueAsString(node);
            }
        } catch (JsonProcessingException e) {
            throw invalid(prefix, "conda_file", "conda YAML (name, channels, dependencies), but it does not parse: " + e.getOriginalMessage());
        }
        if (mapping == null || !mapping.isObject() || (mapping.has("dependencies") && !mapping.get("dependencies").isArray())) {
            throw invalid(prefix, "conda_file", "a conda mapping with a 'dependencies' list (python=3.11, pip, and a 'pip:' list)");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw invalid(prefix, "conda_file", "at most " + MAX_TEXT_CHARS + " characters");
        }
        return Optional.of(text);
    }

    private static Map<String, String> tags(JsonNode document, String prefix) {
        JsonNode node = document.get("tags");
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            throw invalid(prefix, "tags", "a mapping of tag names to values");
        }
        node.properties().forEach(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw invalid(prefix, "tags." + entry.getKey(), "a string, number or boolean");
            }
            tags.put(entry.getKey(), entry.getValue().asText());
        });
        return tags;
    }

    private static Optional<String> text(JsonNode document, String prefix, String field) {
        JsonNode node = document.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw invalid(prefix, field, "a string");
        }
        return Optional.of(node.asText());
    }

    private static AtelierException invalid(String prefix, String field, String expected) {
        return AtelierException.invalidParameter("Invalid value for '" + prefix + field + "' in the environment document: expected "
                + expected);
    }
}
