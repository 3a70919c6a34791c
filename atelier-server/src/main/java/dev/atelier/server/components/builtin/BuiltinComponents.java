package dev.atelier.server.components.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.server.components.Component;
import dev.atelier.server.components.ComponentService;
import dev.atelier.server.workspace.WorkspaceParticipant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The designer's built-in components (docs/components.md, "Built-in components"), registered in every workspace as real
 * versioned components: when a workspace is created, and at every start for the workspaces that exist (a new server
 * version brings new versions). Their documents are the YAML files beside this class; each runs
 * {@code dev.atelier.workers.builtins.Builtins} in the {@code atelier} environment. Registering is idempotent: a version
 * that exists with the same document is left as it is. Users cannot register components of these names
 * ({@link #NAMES}, refused by {@link ComponentService}). Thread-safe.
 */
public final class BuiltinComponents implements WorkspaceParticipant {
    /** The built-ins, in the designer palette's order. */
    public static final List<String> NAMES = List.of("import_data", "select_columns", "clean_missing_data", "split_data",
            "normalize_data", "edit_metadata", "join_data", "train_model", "train_automl", "score_model", "evaluate_model", "register_model",
            "export_data");
    /** The tag every built-in carries, and its value. */
    public static final String TAG = "atelier.builtin";
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinComponents.class);

    private final ComponentService components;
    private final List<JsonNode> documents;

    public BuiltinComponents(ComponentService components) {
        this.components = requireNonNull(components, "components is null");
        this.documents = NAMES.stream().map(BuiltinComponents::document).toList();
    }

    /** The names users cannot register, for {@link ComponentService}. */
    public static Set<String> reservedNames() {
        return Set.copyOf(NAMES);
    }

    /** The built-ins' documents as shipped (environment not yet pinned), in {@link #NAMES} order. */
    public List<JsonNode> documents() {
        return documents.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /**
     * Registers every built-in in {@code workspace}; answers the versions. A built-in that cannot be registered (its
     * version exists with another document, the {@code atelier} environment is missing) is logged and skipped, so that a
     * workspace still gets the others and the server still starts.
     */
    public List<Component> register(String workspace) {
        List<Component> registered = new ArrayList<>();
        for (JsonNode document : documents) {
            try {
                registered.add(components.registerBuiltin(workspace, document.deepCopy()));
            } catch (AtelierException e) {
                LOG.warn("Built-in component '{}' was not registered in workspace '{}': {}", document.path("name").asText(), workspace,
                        e.getMessage());
            }
        }
        return registered;
    }

    @Override
    public void workspaceCreated(String workspace) {
        register(workspace);
    }

    @Override
    public boolean holdsData(String workspace) {
        return false;
    }

    @Override
    public void workspaceDeleted(String workspace) {
        // the components' rows go with the workspace's
    }

    private static JsonNode document(String name) {
        String resource = name + ".yml";
        try (InputStream in = BuiltinComponents.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the built-in component " + resource + " is missing from the classpath");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in component " + resource, e);
        }
    }
}
