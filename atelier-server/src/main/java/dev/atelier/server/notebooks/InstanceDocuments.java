package dev.atelier.server.notebooks;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;

import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code computeinstance} document in JSON: parsed from a create request (each bad field named in a 400), and
 * written to and read from the store. Thread-safe (stateless).
 */
final class InstanceDocuments {
    /** Azure ML's bounds of {@code idle_time_before_shutdown_minutes}: 15 minutes to 3 days. */
    static final int MIN_IDLE_MINUTES = 15;
    static final int MAX_IDLE_MINUTES = 4320;
    /** Unix cron, five fields, as Azure ML's {@code cron} triggers. */
    static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private InstanceDocuments() {
    }

    static InstanceDocument parse(ApiRequest request) {
        String description = request.optionalString("description").orElse("");
        int idle = request.optionalInt("idle_time_before_shutdown_minutes").orElse(0);
        if (idle != 0 && (idle < MIN_IDLE_MINUTES || idle > MAX_IDLE_MINUTES)) {
            throw AtelierException.invalidParameter("idle_time_before_shutdown_minutes must be between " + MIN_IDLE_MINUTES + " and "
                    + MAX_IDLE_MINUTES + " (or 0: never), was " + idle);
        }
        Optional<ApiRequest> scripts = request.optionalObject("setup_scripts");
        Optional<InstanceDocument.Script> creation = scripts.flatMap(s -> script(s, "creation_script"));
        Optional<InstanceDocument.Script> startup = scripts.flatMap(s -> script(s, "startup_script"));
        List<InstanceDocument.StartStop> schedules = new ArrayList<>();
        Optional<ApiRequest> scheduleNode = request.optionalObject("schedules");
        if (scheduleNode.isPresent()) {
            for (ApiRequest entry : scheduleNode.get().objectList("compute_start_stop")) {
                schedules.add(schedule(entry));
            }
        }
        Optional<String> image = request.optionalString("image").filter(text -> !text.isBlank());
        return new InstanceDocument(description, idle, creation, startup, schedules, image);
    }

    private static Optional<InstanceDocument.Script> script(ApiRequest scripts, String field) {
        Optional<ApiRequest> node = scripts.optionalObject(field);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> path = node.get().optionalString("path").filter(text -> !text.isBlank());
        Optional<String> command = node.get().optionalString("command").filter(text -> !text.isBlank());
        if (path.isPresent() == command.isPresent()) {
            throw AtelierException.invalidParameter("setup_scripts." + field + " needs either 'path' or 'command'");
        }
        if (path.isPresent() && (path.get().startsWith("/") || List.of(path.get().split("/")).contains(".."))) {
            throw AtelierException.invalidParameter("setup_scripts." + field + ".path must be a relative path in your files folder");
        }
        return Optional.of(new InstanceDocument.Script(path, command));
    }

    private static InstanceDocument.StartStop schedule(ApiRequest entry) {
        String actionText = entry.requiredString("action").toLowerCase(Locale.ROOT);
        InstanceDocument.Action action = switch (actionText) {
            case "start" -> InstanceDocument.Action.START;
            case "stop" -> InstanceDocument.Action.STOP;
            default -> throw AtelierException.invalidParameter("schedules.compute_start_stop[].action must be start or stop, was '"
                    + actionText + "'");
        };
        ApiRequest trigger = entry.optionalObject("trigger").orElseThrow(() ->
                AtelierException.invalidParameter("schedules.compute_start_stop[].trigger is required"));
        String type = trigger.optionalString("type").orElse("cron");
        if (!type.equals("cron")) {
            throw AtelierException.invalidParameter("schedules.compute_start_stop[].trigger.type must be cron, was '" + type + "'");
        }
        String expression = trigger.requiredString("expression");
        try {
            CRON.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw AtelierException.invalidParameter("schedules.compute_start_stop[].trigger.expression '" + expression
                    + "' is not a cron expression: " + e.getMessage());
        }
        String zone = trigger.optionalString("time_zone").filter(text -> !text.isBlank()).orElse("UTC");
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw AtelierException.invalidParameter("schedules.compute_start_stop[].trigger.time_zone '" + zone + "' is not a time zone");
        }
        return new InstanceDocument.StartStop(action, expression, zone);
    }

    /** The document as the API shows it and the store keeps it (the create request's field names). */
    static ObjectNode toJson(InstanceDocument document) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("description", document.description());
        json.put("idle_time_before_shutdown_minutes", document.idleMinutes());
        if (document.creationScript().isPresent() || document.startupScript().isPresent()) {
            ObjectNode scripts = json.putObject("setup_scripts");
            document.creationScript().ifPresent(script -> scriptJson(scripts.putObject("creation_script"), script));
            document.startupScript().ifPresent(script -> scriptJson(scripts.putObject("startup_script"), script));
        }
        if (!document.schedules().isEmpty()) {
            ArrayNode list = json.putObject("schedules").putArray("compute_start_stop");
            for (InstanceDocument.StartStop schedule : document.schedules()) {
                ObjectNode entry = list.addObject();
                entry.put("action", schedule.action().name().toLowerCase(Locale.ROOT));
                entry.putObject("trigger").put("type", "cron").put("expression", schedule.expression()).put("time_zone", schedule.timeZone());
            }
        }
        document.image().ifPresent(image -> json.put("image", image));
        return json;
    }

    private static void scriptJson(ObjectNode node, InstanceDocument.Script script) {
        script.path().ifPresent(path -> node.put("path", path));
        script.command().ifPresent(command -> node.put("command", command));
    }

    static String write(InstanceDocument document) {
        try {
            return Json.mapper().writeValueAsString(toJson(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InstanceDocument read(String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return parse(ApiRequest.of((ObjectNode) node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
