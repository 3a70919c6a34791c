package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the search part of a sweep job document (Azure ML CLI v2's sweep schema:
 * https://learn.microsoft.com/azure/machine-learning/reference-yaml-job-sweep).
 */
final class SweepDocument {
    static final int MAX_TOTAL_TRIALS = 1000;

    private SweepDocument() {
    }

    static SweepSpec parse(DocumentFields root) {
        Map<String, Distribution> space = searchSpace(root);
        boolean grid;
        Optional<Long> seed;
        JsonNode sampling = root.get("sampling_algorithm");
        if (sampling != null && sampling.isObject()) {
            DocumentFields fields = DocumentFields.of(sampling, root.pathOf("sampling_algorithm"));
            fields.onlyKnown(Set.of("type", "seed", "rule", "logbase"));
            grid = algorithm(root, fields.requiredText("type"));
            seed = fields.has("seed") ? Optional.of(fields.get("seed").asLong()) : Optional.empty();
        } else {
            grid = algorithm(root, root.text("sampling_algorithm").orElse("random"));
            seed = Optional.empty();
        }
        if (grid) {
            space.forEach((name, distribution) -> {
                if (!(distribution instanceof Distribution.Choice)) {
                    throw AtelierException.invalidParameter("Invalid '" + root.pathOf("search_space." + name) + "': grid sampling supports only "
                            + "choice dimensions");
                }
            });
        }
        DocumentFields objective = root.object("objective").orElseThrow(() -> missing(root.pathOf("objective")));
        objective.onlyKnown(Set.of("primary_metric", "goal"));
        String goal = objective.requiredText("goal");
        if (!goal.equals("maximize") && !goal.equals("minimize")) {
            throw AtelierException.invalidParameter("Invalid value '" + goal + "' for '" + objective.pathOf("goal") + "': expected maximize or minimize");
        }
        DocumentFields limits = root.object("limits").orElseThrow(() -> missing(root.pathOf("limits")));
        limits.onlyKnown(Set.of("max_total_trials", "max_concurrent_trials", "timeout", "trial_timeout"));
        int maxTotal = limits.positiveLong("max_total_trials").orElseThrow(() -> missing(limits.pathOf("max_total_trials"))).intValue();
        if (maxTotal > MAX_TOTAL_TRIALS) {
            throw AtelierException.invalidParameter("Invalid value " + maxTotal + " for '" + limits.pathOf("max_total_trials") + "': at most "
                    + MAX_TOTAL_TRIALS);
        }
        int maxConcurrent = limits.positiveLong("max_concurrent_trials").map(Long::intValue).orElse(Math.min(maxTotal, 4));
        return new SweepSpec(space, grid, grid ? Optional.empty() : seed.or(() -> Optional.of(System.nanoTime())),
                objective.requiredText("primary_metric"), goal.equals("maximize"), maxTotal, Math.min(maxConcurrent, maxTotal),
                limits.positiveLong("timeout"), limits.positiveLong("trial_timeout"), earlyTermination(root));
    }

    private static boolean algorithm(DocumentFields root, String name) {
        return switch (name) {
            case "grid" -> true;
            case "random" -> false;
            default -> throw AtelierException.invalidParameter("Invalid value '" + name + "' for '" + root.pathOf("sampling_algorithm") + "': expected "
                    + "random or grid");
        };
    }

    private static Map<String, Distribution> searchSpace(DocumentFields root) {
        JsonNode node = root.get("search_space");
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required field '" + root.pathOf("search_space") + "': a sweep needs at least one "
                    + "dimension");
        }
        Map<String, Distribution> space = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            DocumentFields d = DocumentFields.of(entry.getValue(), root.pathOf("search_space." + entry.getKey()));
            String type = d.requiredText("type");
            space.put(entry.getKey(), switch (type) {
                case "choice" -> choice(d);
                case "randint" -> new Distribution.RandInt(d.positiveLong("upper").orElseThrow(() -> missing(d.pathOf("upper"))).intValue());
                case "uniform" -> new Distribution.Uniform(bounds(d)[0], bounds(d)[1]);
                case "loguniform" -> new Distribution.LogUniform(bounds(d)[0], bounds(d)[1]);
                case "quniform" -> new Distribution.QUniform(bounds(d)[0], bounds(d)[1], q(d));
                case "qloguniform" -> new Distribution.QLogUniform(bounds(d)[0], bounds(d)[1], q(d));
                case "normal" -> new Distribution.Normal(d.requiredNumber("mu"), sigma(d));
                case "lognormal" -> new Distribution.LogNormal(d.requiredNumber("mu"), sigma(d));
                default -> throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + d.pathOf("type")
                        + "': expected choice, randint, uniform, loguniform, quniform, qloguniform, normal or lognormal");
            });
        });
        return space;
    }

    private static Distribution choice(DocumentFields d) {
        JsonNode values = d.get("values");
        if (values == null || !values.isArray() || values.isEmpty()) {
            throw d.invalid("values", "a non-empty list");
        }
        List<String> texts = new ArrayList<>();
        values.forEach(value -> {
            if (!value.isValueNode() || value.isNull()) {
                throw d.invalid("values", "a list of numbers, strings or booleans");
            }
            texts.add(value.asText());
        });
        return new Distribution.Choice(texts);
    }

    private static double[] bounds(DocumentFields d) {
        double min = d.requiredNumber("min_value");
        double max = d.requiredNumber("max_value");
        if (!(min < max)) {
            throw AtelierException.invalidParameter("Invalid bounds for '" + d.pathOf("min_value") + "': min_value must be below max_value");
        }
        return new double[] {min, max};
    }

    private static double q(DocumentFields d) {
        double q = d.requiredNumber("q");
        if (!(q > 0)) {
            throw d.invalid("q", "a positive number");
        }
        return q;
    }

    private static double sigma(DocumentFields d) {
        double sigma = d.requiredNumber("sigma");
        if (!(sigma > 0)) {
            throw d.invalid("sigma", "a positive number");
        }
        return sigma;
    }

    private static Optional<SweepSpec.EarlyTermination> earlyTermination(DocumentFields root) {
        return root.object("early_termination").map(d -> {
            d.onlyKnown(Set.of("type", "evaluation_interval", "delay_evaluation", "slack_factor", "slack_amount",
                    "truncation_percentage", "exclude_finished_jobs"));
            String type = d.requiredText("type");
            SweepSpec.Policy policy = switch (type) {
                case "bandit" -> SweepSpec.Policy.BANDIT;
                case "median_stopping" -> SweepSpec.Policy.MEDIAN_STOPPING;
                case "truncation_selection" -> SweepSpec.Policy.TRUNCATION_SELECTION;
                default -> throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + d.pathOf("type") + "': "
                        + "expected bandit, median_stopping or truncation_selection");
            };
            double slackFactor = d.number("slack_factor").orElse(0.0);
            double slackAmount = d.number("slack_amount").orElse(0.0);
            if (policy == SweepSpec.Policy.BANDIT && slackFactor <= 0 && slackAmount <= 0) {
                throw AtelierException.invalidParameter("A bandit policy needs '" + d.pathOf("slack_factor") + "' or '" + d.pathOf("slack_amount") + "'");
            }
            int truncation = d.positiveLong("truncation_percentage").map(Long::intValue).orElse(0);
            if (policy == SweepSpec.Policy.TRUNCATION_SELECTION && (truncation < 1 || truncation > 99)) {
                throw AtelierException.invalidParameter("A truncation_selection policy needs '" + d.pathOf("truncation_percentage") + "' "
                        + "between 1 and 99");
            }
            int interval = d.positiveLong("evaluation_interval").map(Long::intValue).orElse(1);
            int delay = d.has("delay_evaluation") ? d.get("delay_evaluation").asInt() : 0;
            return new SweepSpec.EarlyTermination(policy, interval, Math.max(0, delay), slackFactor, slackAmount, truncation);
        });
    }

    private static AtelierException missing(String field) {
        return AtelierException.invalidParameter("Missing value for required field '" + field + "' in the sweep job document");
    }
}
