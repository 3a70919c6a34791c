package dev.atelier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts the way {@code az ml} names things, beside Atelier's positional arguments: {@code -n/--name NAME},
 * {@code -e/--endpoint-name ENDPOINT}, {@code -p/--path SOURCE} and, with a name, {@code -v/--version VERSION}. A command
 * that declares such an option itself keeps it; for the others the value becomes the positional argument with the
 * matching label ({@code NAME}, {@code MODEL}, {@code REFERENCE}, {@code ID_OR_NAME}; {@code ENDPOINT}; {@code SOURCE}),
 * so that
 * {@code atelier online-deployment show -n blue -e web} runs as {@code atelier deployment show web blue}, and
 * {@code atelier model show -n m -v 2} as {@code atelier models show m/2}. Anything it cannot map is left for picocli
 * to report. A create command with {@code --set} and no name argument takes {@code -n NAME} as {@code --set name=NAME}
 * ({@code atelier job create -f job.yml -n nightly}). Stateless.
 */
final class AzureCliArguments {
    private static final List<String> NAME_FLAGS = List.of("-n", "--name");
    private static final List<String> ENDPOINT_FLAGS = List.of("-e", "--endpoint-name");
    private static final List<String> PATH_FLAGS = List.of("-p", "--path");
    private static final List<String> VERSION_FLAGS = List.of("-v", "--version");
    private static final Set<String> NAME_LABELS = Set.of("NAME", "MODEL", "REFERENCE", "ID_OR_NAME");
    private static final String ENDPOINT_LABEL = "ENDPOINT";

    private AzureCliArguments() {
    }

    /** The arguments with Azure's naming options turned into the positional arguments of the command they address. */
    static String[] rewrite(CommandLine root, String[] args) {
        CommandLine command = root;
        int start = 0;
        while (start < args.length && command.getSubcommands().containsKey(args[start])) {
            command = command.getSubcommands().get(args[start]);
            start++;
        }
        CommandSpec leaf = command.getCommandSpec();
        if (start == 0 || !leaf.subcommands().isEmpty()) {
            return args;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(start, args.length));
        Optional<PositionalParamSpec> namePositional = positional(leaf, label -> NAME_LABELS.contains(label));
        Optional<PositionalParamSpec> endpointPositional = positional(leaf, ENDPOINT_LABEL::equals);
        Optional<String> name = namePositional.isPresent() && declaresNone(leaf, NAME_FLAGS) ? take(rest, NAME_FLAGS) : Optional.empty();
        Optional<String> endpoint = endpointPositional.isPresent() && declaresNone(leaf, ENDPOINT_FLAGS)
                ? take(rest, ENDPOINT_FLAGS) : Optional.empty();
        Optional<PositionalParamSpec> sourcePositional = positional(leaf, "SOURCE"::equals);
        Optional<String> source = sourcePositional.isPresent() && declaresNone(leaf, PATH_FLAGS) ? take(rest, PATH_FLAGS) : Optional.empty();
        if (name.isPresent() && declaresNone(leaf, VERSION_FLAGS)) {
            String separator = switch (namePositional.get().paramLabel()) {
                case "MODEL" -> "/";
                case "REFERENCE" -> ":";
                default -> null;
            };
            if (separator != null) {
                Optional<String> version = take(rest, VERSION_FLAGS);
                if (version.isPresent()) {
                    name = Optional.of(name.get() + separator + version.get());
                }
            }
        }
        if (name.isEmpty() && namePositional.isEmpty() && declaresNone(leaf, NAME_FLAGS) && leaf.findOption("--set") != null) {
            // A create command without a name argument (job create -f job.yml --name x): the document's name.
            name = take(rest, NAME_FLAGS);
            if (name.isPresent()) {
                rest.add("--set");
                rest.add("name=" + name.get());
                name = Optional.empty();
                if (endpoint.isEmpty() && source.isEmpty()) {
                    return joined(args, start, rest);
                }
            }
        }
        if (name.isEmpty() && endpoint.isEmpty() && source.isEmpty()) {
            return args;
        }
        // Positional arguments may follow options in picocli, so the taken values go last, in their positions' order.
        List<Placed> placed = new ArrayList<>();
        name.ifPresent(value -> placed.add(new Placed(namePositional.get().index().min(), value)));
        endpoint.ifPresent(value -> placed.add(new Placed(endpointPositional.get().index().min(), value)));
        source.ifPresent(value -> placed.add(new Placed(sourcePositional.get().index().min(), value)));
        placed.sort(Comparator.comparingInt(Placed::index));
        int end = rest.indexOf("--");
        List<String> values = placed.stream().map(Placed::value).toList();
        if (end < 0) {
            rest.addAll(values);
        } else {
            rest.addAll(end, values);
        }
        return joined(args, start, rest);
    }

    private static String[] joined(String[] args, int start, List<String> rest) {
        List<String> result = new ArrayList<>(List.of(args).subList(0, start));
        result.addAll(rest);
        return result.toArray(String[]::new);
    }

    private record Placed(int index, String value) {
    }

    private static Optional<PositionalParamSpec> positional(CommandSpec leaf, java.util.function.Predicate<String> label) {
        return leaf.positionalParameters().stream().filter(p -> label.test(p.paramLabel())).findFirst();
    }

    private static boolean declaresNone(CommandSpec leaf, List<String> flags) {
        return flags.stream().noneMatch(flag -> leaf.findOption(flag) != null && !isInheritedVersionFlag(leaf, flag));
    }

    /** {@code --version} is the root's own (inherited) flag; a command that addresses a version reads it as Azure's. */
    private static boolean isInheritedVersionFlag(CommandSpec leaf, String flag) {
        return flag.equals("--version") && leaf.findOption(flag).versionHelp();
    }

    /** Removes the first {@code FLAG VALUE} or {@code --flag=VALUE} before {@code --} and returns its value. */
    private static Optional<String> take(List<String> rest, List<String> flags) {
        for (int i = 0; i < rest.size(); i++) {
            String token = rest.get(i);
            if (token.equals("--")) {
                return Optional.empty();
            }
            for (String flag : flags) {
                if (token.equals(flag) && i + 1 < rest.size() && !rest.get(i + 1).startsWith("-")) {
                    String value = rest.get(i + 1);
                    rest.subList(i, i + 2).clear();
                    return Optional.of(value);
                }
                if (flag.startsWith("--") && token.startsWith(flag + "=")) {
                    rest.remove(i);
                    return Optional.of(token.substring(flag.length() + 1));
                }
            }
        }
        return Optional.empty();
    }
}
