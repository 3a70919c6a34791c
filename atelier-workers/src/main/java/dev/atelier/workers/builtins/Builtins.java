package dev.atelier.workers.builtins;

import dev.atelier.workers.rest.ServerClient;
import dev.atelier.workers.table.TableException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The designer's built-in components as one program: {@code java dev.atelier.workers.builtins.Builtins <component>
 * --option value ...}, run in the {@code atelier} environment by the component's command (docs/components.md,
 * "Built-in components"). A refusal prints {@code error: <message>} on stderr and exits 1, so the step fails with the
 * reason at the end of its log.
 */
public final class Builtins {
    private static final Map<String, Builtin> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("import_data", new ImportData());
        COMPONENTS.put("select_columns", new SelectColumns());
        COMPONENTS.put("clean_missing_data", new CleanMissingData());
        COMPONENTS.put("split_data", new SplitData());
        COMPONENTS.put("normalize_data", new NormalizeData());
        COMPONENTS.put("edit_metadata", new EditMetadata());
        COMPONENTS.put("join_data", new JoinData());
        COMPONENTS.put("train_model", new TrainModel());
        COMPONENTS.put("train_automl", new TrainWithAutoMl(System.getenv()));
        COMPONENTS.put("score_model", new ScoreModel());
        COMPONENTS.put("evaluate_model", new EvaluateModel(System.getenv()));
        COMPONENTS.put("register_model", new RegisterModel(System.getenv()));
        COMPONENTS.put("export_data", new ExportData(System.getenv()));
    }

    private Builtins() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (TableException | ServerClient.ServerException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs one component in this JVM: {@code args[0]} names it, the rest are its options. */
    public static void run(String... args) throws Exception {
        if (args.length == 0 || !COMPONENTS.containsKey(args[0])) {
            throw new TableException((args.length == 0 ? "no component named" : "unknown component '" + args[0] + "'")
                    + "; the built-in components: " + String.join(", ", COMPONENTS.keySet()));
        }
        Arguments arguments = new Arguments(List.of(Arrays.copyOfRange(args, 1, args.length)));
        COMPONENTS.get(args[0]).run(arguments);
    }
}
