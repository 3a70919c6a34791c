package dev.atelier.server.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A schedule's {@code trigger} (Azure ML CLI v2 schedule YAML, https://learn.microsoft.com/azure/machine-learning/reference-yaml-schedule):
 * {@code type: cron} with a five-field Unix {@code expression}, or {@code type: recurrence} with {@code frequency},
 * {@code interval} and an optional {@code schedule} (alias {@code pattern}) of {@code hours}, {@code minutes} and
 * {@code week_days}; both with {@code start_time}, {@code end_time} and {@code time_zone}. A recurrence is turned into
 * a cron expression over its hours, minutes and week days, and its interval counted from its start (or, without one,
 * from the schedule's creation). Errors name the field ({@code trigger.expression}). Stateless.
 */
final class TriggerDocument {
    static final int MAX_INTERVAL = 1000;
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Set<String> COMMON = Set.of("type", "start_time", "end_time", "time_zone", "timezone");
    private static final Map<String, Integer> WEEK_DAYS = Map.of("sunday", 0, "monday", 1, "tuesday", 2, "wednesday", 3,
            "thursday", 4, "friday", 5, "saturday", 6);

    private TriggerDocument() {
    }

    /** @param created when the schedule was created: a recurrence without {@code start_time} counts its interval from it */
    static Cadence parse(JsonNode trigger, Instant created) {
        if (trigger == null || trigger.isNull()) {
            throw invalid("trigger", "required: a mapping with type cron or recurrence");
        }
        if (!trigger.isObject()) {
            throw invalid("trigger", "must be a mapping with type cron or recurrence");
        }
        String type = text(trigger, "type").orElseThrow(() -> invalid("trigger.type", "required: cron or recurrence"));
        ZoneId zone = text(trigger, "time_zone").or(() -> text(trigger, "timezone"))
                .map(name -> TimeZones.parse(name).orElseThrow(() -> invalid(trigger.has("time_zone") ? "trigger.time_zone"
                        : "trigger.timezone", "unknown time zone '" + name + "': use an IANA name such as Europe/Berlin, or UTC")))
                .orElse(ZoneOffset.UTC);
        Optional<Instant> start = text(trigger, "start_time").map(value -> time("trigger.start_time", value, zone));
        Optional<Instant> end = text(trigger, "end_time").map(value -> time("trigger.end_time", value, zone));
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            throw invalid("trigger.end_time", "must be after trigger.start_time");
        }
        return switch (type) {
            case "cron" -> {
                onlyKnown(trigger, Set.of("expression"));
                String expression = text(trigger, "expression").orElseThrow(() -> invalid("trigger.expression",
                        "required: a cron expression of five fields (minute hour day-of-month month day-of-week)"));
                yield new Cadence(cron("trigger.expression", expression), zone, time -> true, start, end);
            }
            case "recurrence" -> recurrence(trigger, zone, start, end, created);
            default -> throw invalid("trigger.type", "unknown type '" + type + "': use cron or recurrence");
        };
    }

    private static Cadence recurrence(JsonNode trigger, ZoneId zone, Optional<Instant> start, Optional<Instant> end, Instant created) {
        onlyKnown(trigger, Set.of("frequency", "interval", "schedule", "pattern"));
        String name = text(trigger, "frequency").orElseThrow(() -> invalid("trigger.frequency", "required: minute, hour, day, week or month"));
        Frequency frequency = Frequency.parse(name).orElseThrow(() -> invalid("trigger.frequency", "unknown frequency '" + name
                + "': use minute, hour, day, week or month"));
        JsonNode intervalNode = trigger.get("interval");
        if (intervalNode == null || intervalNode.isNull()) {
            throw invalid("trigger.interval", "required: a whole number of " + frequency.wireName() + "s");
        }
        if (!intervalNode.isIntegralNumber() || !intervalNode.canConvertToInt() || intervalNode.asInt() < 1
                || intervalNode.asInt() > MAX_INTERVAL) {
            throw invalid("trigger.interval", "must be a whole number from 1 to " + MAX_INTERVAL + ", got " + intervalNode);
        }
        int interval = intervalNode.asInt();
        String patternField = trigger.has("schedule") ? "schedule" : "pattern";
        JsonNode pattern = trigger.get(patternField);
        String prefix = "trigger." + patternField + ".";
        ZonedDateTime anchor = start.orElse(created).atZone(zone);
        List<Integer> hours = List.of(anchor.getHour());
        List<Integer> minutes = List.of(anchor.getMinute());
        Optional<List<Integer>> weekDays = Optional.empty();
        if (pattern != null && !pattern.isNull()) {
            if (!pattern.isObject()) {
                throw invalid("trigger." + patternField, "must be a mapping of hours, minutes and week_days");
            }
            if (frequency == Frequency.MINUTE || frequency == Frequency.HOUR) {
                throw invalid("trigger." + patternField, "only a day, week or month recurrence has one");
            }
            pattern.fieldNames().forEachRemaining(field -> {
                if (!Set.of("hours", "minutes", "week_days").contains(field)) {
                    throw invalid(prefix + field, "unknown field; known fields: hours, minutes, week_days");
                }
            });
            hours = numbers(pattern.get("hours"), prefix + "hours", 0, 23).orElse(hours);
            minutes = numbers(pattern.get("minutes"), prefix + "minutes", 0, 59).orElse(minutes);
            weekDays = weekDays(pattern.get("week_days"), prefix + "week_days");
            if (weekDays.isPresent() && frequency == Frequency.DAY) {
                throw invalid(prefix + "week_days", "only a week or month recurrence has week days");
            }
        }
        String expression = switch (frequency) {
            case MINUTE -> "* * * * *";
            case HOUR -> anchor.getMinute() + " * * * *";
            case DAY -> join(minutes) + " " + join(hours) + " * * *";
            case WEEK -> join(minutes) + " " + join(hours) + " * * " + join(weekDays.orElse(List.of(anchor.getDayOfWeek().getValue() % 7)));
            case MONTH -> join(minutes) + " " + join(hours) + " " + (weekDays.isPresent() ? "*" : anchor.getDayOfMonth()) + " * "
                    + weekDays.map(TriggerDocument::join).orElse("*");
        };
        Predicate<ZonedDateTime> every = interval == 1 ? time -> true : time -> frequency.unitsBetween(anchor, time) % interval == 0;
        return new Cadence(cron("trigger", expression), zone, every, start, end);
    }

    private static ExecutionTime cron(String field, String expression) {
        try {
            Cron cron = UNIX.parse(expression.strip());
            cron.validate();
            return ExecutionTime.forCron(cron);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "'" + expression + "' is not a cron expression of five fields (minute hour day-of-month month "
                    + "day-of-week): " + e.getMessage());
        }
    }

    /** ISO-8601 with an offset ({@code 2026-03-29T02:30:00+01:00}), or a local date-time or date in the trigger's zone. */
    private static Instant time(String field, String value, ZoneId zone) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException offsetless) {
            try {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            } catch (DateTimeException notDateTime) {
                try {
                    return LocalDate.parse(value).atStartOfDay(zone).toInstant();
                } catch (DateTimeException e) {
                    throw invalid(field, "'" + value + "' is not an ISO-8601 date-time such as 2026-03-29T02:30:00");
                }
            }
        }
    }

    private static Optional<List<Integer>> numbers(JsonNode node, String field, int min, int max) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
                throw invalid(field, "must be a whole number or a list of whole numbers from " + min + " to " + max + ", got " + node);
            }
            values.add(value.asInt());
        }
        if (values.isEmpty()) {
            throw invalid(field, "must not be empty");
        }
        return Optional.of(values.stream().distinct().sorted().toList());
    }

    private static Optional<List<Integer>> weekDays(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            Integer day = value.isTextual() ? WEEK_DAYS.get(value.asText().toLowerCase(Locale.ROOT)) : null;
            if (day == null) {
                throw invalid(field, "unknown week day " + value + ": use monday, tuesday, wednesday, thursday, friday, saturday or sunday");
            }
            values.add(day);
        }
        if (values.isEmpty()) {
            throw invalid(field, "must not be empty");
        }
        return Optional.of(values.stream().distinct().sorted().toList());
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static void onlyKnown(JsonNode trigger, Set<String> specific) {
        trigger.fieldNames().forEachRemaining(field -> {
            if (!COMMON.contains(field) && !specific.contains(field)) {
                throw invalid("trigger." + field, "unknown field for a " + trigger.path("type").asText() + " trigger");
            }
        });
    }

    private static Optional<String> text(JsonNode trigger, String field) {
        return ScheduleDocument.text(trigger, "trigger.", field);
    }

    static AtelierException invalid(String field, String problem) {
        return ScheduleDocument.invalid(field, problem);
    }
}
