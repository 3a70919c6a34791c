package dev.atelier.server.serving.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Puts what a scoring script's {@code run()} returned into the protocol the call came in. Every protocol hands the
 * request body to {@code run()} as it is; the answer is:
 * <ul>
 *   <li>Azure's {@code /score}: sent as it is;</li>
 *   <li>MLflow's {@code /invocations}: {@code {"predictions": <answer>}}, unless the answer already is an object with
 *       {@code predictions};</li>
 *   <li>Open Inference: {@code {"model_name", "id", "outputs": [<one tensor>]}} ({@link OpenInferenceTensor}), unless
 *       the answer already is an object with {@code outputs}.</li>
 * </ul>
 * An answer that is no JSON (the script returned bytes) is a string for MLflow and a {@code BYTES} tensor for Open
 * Inference. Answers may hold {@code NaN} and {@code Infinity}, which Python's {@code json.dumps} writes.
 */
public final class ScriptAnswers {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final String JSON = "application/json";

    private ScriptAnswers() {
    }

    public static ScoringResponse answer(ScoringCall call, String contentType, byte[] body) {
        return switch (call.protocol()) {
            case AZURE_SCORE -> new ScoringResponse(200, contentType, body);
            case MLFLOW_INVOCATIONS -> mlflow(body);
            case OPEN_INFERENCE -> openInference(call, body);
        };
    }

    private static ScoringResponse mlflow(byte[] body) {
        Optional<JsonNode> answer = parse(body);
        if (answer.isEmpty()) {
            return ScoringResponse.json(write(JsonNodeFactory.instance.objectNode().put("predictions", text(body))));
        }
        if (answer.get().isObject() && answer.get().has("predictions")) {
            return ScoringResponse.json(body);
        }
        // The answer's own bytes go inside, so its numbers reach the client exactly as the script wrote them.
        ByteArrayOutputStream wrapped = new ByteArrayOutputStream(body.length + 20);
        wrapped.writeBytes("{\"predictions\": ".getBytes(StandardCharsets.UTF_8));
        wrapped.writeBytes(body);
        wrapped.write('}');
        return ScoringResponse.json(wrapped.toByteArray());
    }

    private static ScoringResponse openInference(ScoringCall call, byte[] body) {
        JsonNode answer = parse(body).orElseGet(() -> JsonNodeFactory.instance.textNode(text(body)));
        if (answer.isObject() && answer.has("outputs")) {
            return ScoringResponse.json(body);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("model_name", call.modelName());
        response.put("id", requestId(call));
        response.putArray("outputs").add(OpenInferenceTensor.of(answer));
        return ScoringResponse.json(write(response));
    }

    /** The request's own {@code id} where it has one (the protocol echoes it), else the call's request id. */
    private static String requestId(ScoringCall call) {
        return parse(call.body()).map(request -> request.path("id")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .orElse(call.requestId());
    }

    /** The message of a worker's error answer: the runner's {@code {"error": "<type>: <message>"}}, else its text. */
    public static String workerError(int status, byte[] body) {
        String message = parse(body).map(error -> error.path("error")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .orElseGet(() -> text(body).strip());
        return message.isEmpty() ? "the scoring worker answered HTTP " + status : message;
    }

    private static Optional<JsonNode> parse(byte[] body) {
        try {
            return Optional.ofNullable(MAPPER.readTree(body)).filter(node -> !node.isMissingNode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new ScoringScriptException("Could not write the answer as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
