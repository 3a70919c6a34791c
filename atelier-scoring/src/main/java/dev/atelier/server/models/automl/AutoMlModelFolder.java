package dev.atelier.server.models.automl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of an {@code atelier_automl} model besides {@code MLmodel}: {@code pipeline.json} (task, classes, input
 * columns, featurizer steps, how members combine, scalers, k-nearest neighbours' points) and one file per XGBoost
 * booster ({@code members/<n>.ubj}, XGBoost's UBJSON), LightGBM booster ({@code members/<n>.lightgbm.txt}, its text
 * model) or Tribuo model ({@code members/<n>.tribuo}, Tribuo's protobuf form; Java serialization is never read).
 * Stateless; thread-safe.
 */
public final class AutoMlModelFolder {
    public static final String PIPELINE_FILE = "pipeline.json";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AutoMlModelFolder() {
    }

    /** Writes {@code pipeline.json} and the members' files into {@code directory} (created when absent). */
    public static void write(AutoMlPipeline pipeline, Path directory) throws IOException {
        Files.createDirectories(directory.resolve("members"));
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("task", pipeline.task().yamlName());
        pipeline.classes().forEach(root.putArray("classes")::add);
        ArrayNode inputs = root.putArray("inputs");
        pipeline.inputs().forEach(input -> inputs.addObject().put("name", input.name()).put("type", input.type()));
        ArrayNode steps = root.putArray("featurizer");
        pipeline.featurizer().transforms().forEach(transform -> steps.add(transform(transform)));
        List<Member> written = new ArrayList<>();
        ObjectNode combination = root.putObject("combination");
        switch (pipeline.combination()) {
            case Combination.Weighted weighted -> {
                combination.put("kind", "weighted");
                weighted.weights().forEach(combination.putArray("weights")::add);
                ArrayNode members = combination.putArray("members");
                for (Member member : weighted.members()) {
                    members.add(member(member, directory, written));
                }
            }
            case Combination.Stacked stacked -> {
                combination.put("kind", "stacked");
                ArrayNode members = combination.putArray("members");
                for (Member member : stacked.members()) {
                    members.add(member(member, directory, written));
                }
                combination.set("meta", member(stacked.meta(), directory, written));
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(PIPELINE_FILE).toFile(), root);
    }

    /**
     * Reads a pipeline written by {@link #write}.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when a file is missing or does not hold what it should
     */
    public static AutoMlPipeline read(Path directory) {
        try {
            JsonNode root = JSON.readTree(directory.resolve(PIPELINE_FILE).toFile());
            if (root.path("format_version").asInt() != FORMAT_VERSION) {
                throw AtelierException.invalidParameter("the atelier_automl model has format version "
                        + root.path("format_version") + "; this server reads version " + FORMAT_VERSION);
            }
            Task task = Task.of(root.path("task").asText());
            List<String> classes = new ArrayList<>();
            root.path("classes").forEach(node -> classes.add(node.asText()));
            List<AutoMlPipeline.InputColumn> inputs = new ArrayList<>();
            root.path("inputs").forEach(node -> inputs.add(new AutoMlPipeline.InputColumn(node.path("name").asText(), node.path("type").asText())));
            List<ColumnTransform> transforms = new ArrayList<>();
            root.path("featurizer").forEach(node -> transforms.add(transform(node)));
            JsonNode combinationNode = root.path("combination");
            List<Member> members = new ArrayList<>();
            for (JsonNode node : combinationNode.path("members")) {
                members.add(member(node, directory));
            }
            Combination combination = switch (combinationNode.path("kind").asText()) {
                case "weighted" -> {
                    List<Double> weights = new ArrayList<>();
                    combinationNode.path("weights").forEach(node -> weights.add(node.asDouble()));
                    yield new Combination.Weighted(members, weights);
                }
                case "stacked" -> new Combination.Stacked(members, member(combinationNode.path("meta"), directory));
                default -> throw AtelierException.invalidParameter("the atelier_automl model combines its members as '"
                        + combinationNode.path("kind").asText() + "', which this server does not know");
            };
            return new AutoMlPipeline(task, inputs, new Featurizer(transforms), classes, combination);
        } catch (IOException | IllegalArgumentException e) {
            throw AtelierException.invalidParameter("the atelier_automl model cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode transform(ColumnTransform transform) {
        ObjectNode node = JSON.createObjectNode().put("column", transform.column());
        switch (transform) {
            case ColumnTransform.Numeric numeric -> node.put("kind", "numeric").put("fill", numeric.fill());
            case ColumnTransform.OneHot oneHot -> {
                node.put("kind", "one_hot");
                oneHot.categories().forEach(node.putArray("categories")::add);
            }
            case ColumnTransform.Hashed hashed -> node.put("kind", "hashed").put("buckets", hashed.buckets());
            case ColumnTransform.DateParts date -> {
                node.put("kind", "date_parts");
                date.fill().forEach(node.putArray("fill")::add);
            }
            case ColumnTransform.TextHash text -> node.put("kind", "text_hash").put("buckets", text.buckets());
            case ColumnTransform.TfIdf tfIdf -> {
                node.put("kind", "tf_idf");
                tfIdf.terms().forEach(node.putArray("terms")::add);
                tfIdf.idf().forEach(node.putArray("idf")::add);
            }
        }
        return node;
    }

    private static ColumnTransform transform(JsonNode node) {
        String column = node.path("column").asText();
        return switch (node.path("kind").asText()) {
            case "numeric" -> new ColumnTransform.Numeric(column, node.path("fill").asDouble());
            case "one_hot" -> new ColumnTransform.OneHot(column, strings(node.path("categories")));
            case "hashed" -> new ColumnTransform.Hashed(column, node.path("buckets").asInt());
            case "date_parts" -> new ColumnTransform.DateParts(column, doubles(node.path("fill")));
            case "text_hash" -> new ColumnTransform.TextHash(column, node.path("buckets").asInt());
            case "tf_idf" -> new ColumnTransform.TfIdf(column, strings(node.path("terms")), doubles(node.path("idf")));
            default -> throw new IllegalArgumentException("unknown featurizer step '" + node.path("kind").asText() + "'");
        };
    }

    private static ObjectNode member(Member member, Path directory, List<Member> written) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("algorithm", member.algorithm());
        member.scaler().ifPresent(scaler -> {
            ObjectNode scalerNode = node.putObject("scaler");
            for (double mean : scaler.means()) {
                scalerNode.withArray("means").add(mean);
            }
            for (double deviation : scaler.deviations()) {
                scalerNode.withArray("deviations").add(deviation);
            }
        });
        ObjectNode learner = node.putObject("learner");
        int index = written.size();
        written.add(member);
        switch (member.learner()) {
            case Learner.Xgboost xgboost -> {
                String file = "members/" + index + ".ubj";
                try {
                    Files.write(directory.resolve(file), xgboost.booster().toByteArray("ubj"));
                } catch (XGBoostError e) {
                    throw new IOException("xgboost cannot save its booster: " + e.getMessage(), e);
                }
                learner.put("kind", "xgboost").put("classes", xgboost.classes()).put("file", file);
            }
            case Learner.Tribuo tribuo -> {
                String file = "members/" + index + ".tribuo";
                Files.write(directory.resolve(file), tribuo.model().serialize().toByteArray());
                learner.put("kind", "tribuo").put("classes", tribuo.classes()).put("file", file);
            }
            case LightGbmLearner lightgbm -> {
                String file = "members/" + index + ".lightgbm.txt";
                Files.writeString(directory.resolve(file), lightgbm.text());
                learner.put("kind", "lightgbm").put("classes", lightgbm.classes()).put("file", file);
            }
            case Learner.NearestNeighbours knn -> {
                learner.put("kind", "knn").put("k", knn.k()).put("distance_weighted", knn.distanceWeighted());
                learner.set("points", JSON.valueToTree(knn.points()));
                learner.set("targets", JSON.valueToTree(knn.targets()));
            }
        }
        return node;
    }

    private static Member member(JsonNode node, Path directory) throws IOException {
        JsonNode scalerNode = node.path("scaler");
        Optional<Scaler> scaler = scalerNode.isObject()
                ? Optional.of(new Scaler(array(doubles(scalerNode.path("means"))), array(doubles(scalerNode.path("deviations")))))
                : Optional.empty();
        JsonNode learner = node.path("learner");
        int classes = learner.path("classes").asInt();
        Learner fitted = switch (learner.path("kind").asText()) {
            case "xgboost" -> {
                try {
                    yield new Learner.Xgboost(XGBoost.loadModel(Files.readAllBytes(file(directory, learner))), classes);
                } catch (XGBoostError e) {
                    throw new IOException("the xgboost member cannot be loaded: " + e.getMessage(), e);
                }
            }
            case "lightgbm" -> LightGbmLearner.load(Files.readString(file(directory, learner)), classes);
            case "tribuo" -> new Learner.Tribuo(Model.deserialize(ModelProto.parseFrom(Files.readAllBytes(file(directory, learner)))), classes);
            case "knn" -> new Learner.NearestNeighbours(learner.path("k").asInt(), learner.path("distance_weighted").asBoolean(),
                    JSON.treeToValue(learner.path("points"), double[][].class), JSON.treeToValue(learner.path("targets"), double[][].class));
            default -> throw new IllegalArgumentException("unknown learner '" + learner.path("kind").asText() + "'");
        };
        return new Member(node.path("algorithm").asText(), scaler, fitted);
    }

    /** A member's file, confined to the model directory. */
    private static Path file(Path directory, JsonNode learner) {
        Path file = directory.resolve(learner.path("file").asText()).normalize();
        if (!file.startsWith(directory.normalize())) {
            throw new IllegalArgumentException("a member's file is outside the model directory");
        }
        return file;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asDouble()));
        return values;
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
