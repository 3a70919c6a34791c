package dev.atelier.server.components;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A validated {@code type: command} component document (Azure ML CLI v2's component YAML): what a pipeline step runs.
 *
 * @param version       empty until registered (a version is generated when the document has none)
 * @param deterministic {@code is_deterministic}: whether a step of it may be reused (default true)
 * @param codeSnapshot  the id of the code snapshot, pinned at registration ({@code code: snapshot:<id>} in the document)
 * @param environment   the environment reference {@code name:version}, pinned at registration
 * @param command       the command with {@code ${{inputs.x}}}, {@code ${{outputs.y}}} and optional {@code $[[ … ]]} parts
 */
public record ComponentSpec(String name, Optional<String> version, String displayName, String description, Map<String, String> tags,
                            boolean deterministic, Optional<String> codeSnapshot, Optional<String> environment, String command,
                            Map<String, ComponentInput> inputs, Map<String, ComponentOutput> outputs) {
    public ComponentSpec {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        tags = Map.copyOf(tags);
        requireNonNull(codeSnapshot, "codeSnapshot is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(command, "command is null");
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }

    /**
     * The command a step runs when it gives values for {@code provided} inputs (and the others take their defaults): each
     * {@code $[[ … ]]} part is kept, without its brackets, when every input it names has a value, and dropped otherwise.
     * The {@code ${{inputs.x}}} bindings are left for the job to bind.
     */
    public String commandFor(Set<String> provided) {
        return ComponentRules.commandFor(this, provided);
    }
}
