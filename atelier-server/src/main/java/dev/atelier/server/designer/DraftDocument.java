package dev.atelier.server.designer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.util.Map;

/**
 * The conversion between a draft and the pipeline job document the jobs API takes (docs/designer.md). A draft's document
 * is {@code {"pipeline": <pipeline job document>, "layout": {<step>: {"x": <number>, "y": <number>}}}}: the designer
 * edits the pipeline document in place (steps, their inputs, bindings and settings) and keeps every field it does not
 * draw, so a pipeline imported and exported again is the same document. Stateless and thread-safe.
 */
public final class DraftDocument {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

    private DraftDocument() {
    }

    /** A draft of {@code pipeline}, with no layout yet (the designer lays it out when it opens). */
    public static ObjectNode of(JsonNode pipeline) {
        ObjectNode document = Json.mapper().createObjectNode();
        document.set("pipeline", checkedPipeline(pipeline, "pipeline"));
        document.putObject("layout");
        return document;
    }

    /** An empty pipeline's draft. */
    public static ObjectNode empty() {
        ObjectNode pipeline = Json.mapper().createObjectNode();
        pipeline.put("type", "pipeline");
        pipeline.putObject("jobs");
        return of(pipeline);
    }

    /**
     * Checks a draft document sent by a client.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the field ({@code document.pipeline}, {@code document.layout.<step>})
     */
    public static ObjectNode checked(JsonNode document) {
        if (!(document instanceof ObjectNode object)) {
            throw AtelierException.invalidParameter("Invalid 'document': expected a mapping with 'pipeline' and 'layout'");
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (!name.equals("pipeline") && !name.equals("layout")) {
                throw AtelierException.invalidParameter("Unknown field 'document." + name + "' (expected 'pipeline' and 'layout')");
            }
        }
        ObjectNode checked = object.deepCopy();
        checked.set("pipeline", checkedPipeline(object.get("pipeline"), "document.pipeline"));
        JsonNode layout = object.path("layout");
        if (layout.isMissingNode() || layout.isNull()) {
            checked.putObject("layout");
        } else if (!layout.isObject()) {
            throw AtelierException.invalidParameter("Invalid 'document.layout': expected a mapping of step names to positions");
        } else {
            for (Map.Entry<String, JsonNode> field : layout.properties()) {
                if (!field.getValue().path("x").isNumber() || !field.getValue().path("y").isNumber()) {
                    throw AtelierException.invalidParameter("Invalid 'document.layout." + field.getKey() + "': expected {x, y} numbers");
                }
            }
        }
        return checked;
    }

    /** The pipeline job document of a draft: what the jobs API takes. */
    public static ObjectNode pipeline(ObjectNode document) {
        return (ObjectNode) document.get("pipeline").deepCopy();
    }

    /** A pipeline document as YAML text. */
    public static String yaml(JsonNode pipeline) {
        try {
            return YAML.writeValueAsString(pipeline);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always writes as YAML", e);
        }
    }

    /**
     * A pipeline YAML file's document.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for text that is not YAML or not a pipeline, naming {@code field}
     */
    public static ObjectNode parseYaml(String text, String field) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw AtelierException.invalidParameter("Invalid YAML in '" + field + "'" + where + ": " + e.getOriginalMessage());
        }
        return checkedPipeline(node, field);
    }

    /** A job's stored pipeline document as a draft's pipeline: without the job's name, so that submitting it again makes a new job. */
    public static ObjectNode fromJob(JsonNode jobDocument) {
        ObjectNode pipeline = checkedPipeline(jobDocument, "job").deepCopy();
        pipeline.remove("name");
        return pipeline;
    }

    private static ObjectNode checkedPipeline(JsonNode node, String field) {
        if (!(node instanceof ObjectNode pipeline)) {
            throw AtelierException.invalidParameter("Invalid '" + field + "': expected a pipeline job document (type: pipeline, jobs)");
        }
        if (!"pipeline".equals(pipeline.path("type").asText())) {
            throw AtelierException.invalidParameter("Invalid '" + field + ".type': a draft holds a pipeline job (type: pipeline)");
        }
        if (pipeline.has("jobs") && !pipeline.get("jobs").isObject()) {
            throw AtelierException.invalidParameter("Invalid '" + field + ".jobs': expected a mapping of step names to steps");
        }
        return pipeline;
    }
}
