package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;

/** {@code atelier compute ...}: compute targets ({@code local} is built in; Kubernetes targets are managed here). */
@Command(name = "compute", description = "Create, list, show, update and delete compute targets and compute instances "
        + "(per-user notebook servers: start, stop, restart).",
        subcommands = {ComputeCommand.CreateCommand.class, ComputeCommand.ListCommand.class, ComputeCommand.ShowCommand.class,
                ComputeCommand.UpdateCommand.class, ComputeCommand.DeleteCommand.class, ComputeInstanceCommands.StartCommand.class,
                ComputeInstanceCommands.StopCommand.class, ComputeInstanceCommands.RestartCommand.class})
final class ComputeCommand {

    /**
     * Settings of a Kubernetes target; each is sent only when given, and an update changes only those. The connection
     * options (namespace, kubeconfig, kubeconfig secret, context, service account, registry, registry secret) need the Owner
     * role.
     */
    abstract static class KubernetesOptions extends WorkspaceScopedCommand {
        @Option(names = "--max-concurrent-jobs", paramLabel = "N")
        Optional<Integer> maxConcurrentJobs = Optional.empty();

        @Option(names = "--namespace", paramLabel = "NAMESPACE")
        Optional<String> namespace = Optional.empty();

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file inside the server's --kubeconfig-dir, "
                + "relative to it (default: the server's own configuration: KUBECONFIG, ~/.kube/config or in-cluster).")
        Optional<String> kubeconfig = Optional.empty();

        @Option(names = "--kubeconfig-secret", paramLabel = "SECRET", description = "Workspace secret holding the kubeconfig text "
                + "(its current version is pinned; give it again to use a newer one).")
        Optional<String> kubeconfigSecret = Optional.empty();

        @Option(names = "--context", paramLabel = "NAME")
        Optional<String> context = Optional.empty();

        @Option(names = "--service-account", paramLabel = "NAME", description = "Service account of the pods.")
        Optional<String> serviceAccount = Optional.empty();

        @Option(names = "--registry", paramLabel = "REGISTRY", description = "Where images of environments with 'build' are pushed, "
                + "such as registry.example:5000/team.")
        Optional<String> registry = Optional.empty();

        @Option(names = "--registry-secret", paramLabel = "SECRET", description = "Workspace secret holding a docker config.json "
                + "for --registry (its current version is pinned).")
        Optional<String> registrySecret = Optional.empty();

        @Option(names = "--cpu", paramLabel = "QUANTITY", description = "Default CPU of a job's container, such as 500m.")
        Optional<String> cpu = Optional.empty();

        @Option(names = "--memory", paramLabel = "QUANTITY", description = "Default memory of a job's container, such as 2Gi.")
        Optional<String> memory = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        final ObjectNode body() {
            ObjectNode body = Output.mapper().createObjectNode();
            maxConcurrentJobs.ifPresent(max -> body.put("max_concurrent_jobs", max));
            description.ifPresent(text -> body.put("description", text));
            ObjectNode kubernetes = Output.mapper().createObjectNode();
            namespace.ifPresent(value -> kubernetes.put("namespace", value));
            kubeconfig.ifPresent(value -> kubernetes.put("kubeconfig", value));
            kubeconfigSecret.ifPresent(value -> kubernetes.put("kubeconfig_secret", value));
            context.ifPresent(value -> kubernetes.put("context", value));
            serviceAccount.ifPresent(value -> kubernetes.put("service_account", value));
            registry.ifPresent(value -> kubernetes.put("registry", value));
            registrySecret.ifPresent(value -> kubernetes.put("registry_secret", value));
            cpu.ifPresent(value -> kubernetes.put("cpu", value));
            memory.ifPresent(value -> kubernetes.put("memory", value));
            if (!kubernetes.isEmpty()) {
                body.set("kubernetes", kubernetes);
            }
            return body;
        }
    }

    @Command(name = "create", description = "Create a Kubernetes compute target (needs --namespace and the Owner role), or, "
            + "with -f and 'type: computeinstance' in the file, a compute instance (docs/notebooks.md).")
    static final class CreateCommand extends KubernetesOptions {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The target's name (or the file's 'name').")
        Optional<String> name = Optional.empty();

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A YAML file: 'type: computeinstance' creates a compute "
                + "instance; 'type: kubernetes' a target (its fields as the API's).")
        Optional<java.nio.file.Path> file = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            if (file.isPresent()) {
                ObjectNode document = read(file.get());
                name.ifPresent(value -> document.put("name", value));
                if ("computeinstance".equals(document.path("type").asText())) {
                    JsonNode instance = client.computeInstances().create(document);
                    out.print(instance, "Created compute instance '" + instance.path("name").asText() + "' ("
                            + instance.path("state").asText() + "); open it at " + client.baseUrl() + instance.path("url").asText());
                    return;
                }
                ObjectNode target = body();
                document.properties().forEach(field -> target.set(field.getKey(), field.getValue()));
                if (!target.has("kind")) {
                    target.put("kind", document.path("type").asText("kubernetes"));
                }
                target.remove("type");
                JsonNode created = client.computes().create(target);
                out.print(created, "Created compute target '" + created.path("name").asText() + "'.");
                return;
            }
            String targetName = name.orElseThrow(() -> usageError("Missing the compute target's NAME (or -f FILE)"));
            JsonNode target = client.computes().create(body().put("name", targetName).put("kind", "kubernetes"));
            out.print(target, "Created compute target '" + targetName + "'.");
        }

        private ObjectNode read(java.nio.file.Path path) {
            if (!java.nio.file.Files.isRegularFile(path)) {
                throw usageError("Invalid value for option '--file': " + path + " is not a file");
            }
            try {
                return dev.atelier.sdk.ComputeInstanceClient.read(path);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
        }
    }

    @Command(name = "update", description = "Change the given settings of a compute target (capacity, CPU and memory: "
            + "Compute Operator; where it connects: Owner).")
    static final class UpdateCommand extends KubernetesOptions {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            out.print(client.computes().update(name, body()), "Updated compute target '" + name + "'.");
        }
    }

    @Command(name = "list", description = "List compute targets.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> targets = client.computes().list();
            Table table = Table.withHeaders("NAME", "KIND", "MAX CONCURRENT JOBS", "NAMESPACE");
            targets.forEach(target -> table.row(target.path("name").asText(), target.path("kind").asText(),
                    target.path("max_concurrent_jobs").asText(), target.path("kubernetes").path("namespace").asText("-")));
            out.print(targets, table);
        }
    }

    @Command(name = "show", description = "Show a compute instance (with its state) or, when none has that name, a compute target.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Optional<JsonNode> instance = client.computeInstances().find(name);
            if (instance.isPresent()) {
                ComputeInstanceCommands.print(client, instance.get(), out);
                return;
            }
            JsonNode target = client.computes().get(name);
            JsonNode kubernetes = target.path("kubernetes");
            out.print(target, Table.details()
                    .row("Name:", target.path("name").asText())
                    .row("Kind:", target.path("kind").asText())
                    .row("Max concurrent jobs:", target.path("max_concurrent_jobs").asText())
                    .row("Namespace:", kubernetes.path("namespace").asText("-"))
                    .row("Kubeconfig:", kubernetes.has("kubeconfig_secret")
                            ? "secret " + kubernetes.path("kubeconfig_secret").asText() + " (version "
                            + kubernetes.path("kubeconfig_secret_version").asText() + ")"
                            : kubernetes.path("kubeconfig").asText("-"))
                    .row("Registry:", kubernetes.path("registry").asText("-") + (kubernetes.has("registry_secret")
                            ? " (secret " + kubernetes.path("registry_secret").asText() + ", version "
                            + kubernetes.path("registry_secret_version").asText() + ")" : ""))
                    .row("Description:", target.path("description").asText()));
        }
    }

    @Command(name = "delete", description = "Delete a compute instance (its owner's files stay) or, when none has that name, "
            + "a compute target.")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            if (client.computeInstances().find(name).isPresent()) {
                client.computeInstances().delete(name);
                out.print(Output.mapper().createObjectNode(), "Deleted compute instance '" + name + "'.");
                return;
            }
            client.computes().delete(name);
            out.print(Output.mapper().createObjectNode(), "Deleted compute target '" + name + "'.");
        }
    }
}
