package dev.atelier.server.notebooks;

import com.cronutils.model.time.ExecutionTime;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a user wrote about a compute instance besides its name, owner and target, as accepted (Azure ML's
 * {@code computeinstance} YAML: https://learn.microsoft.com/azure/machine-learning/reference-yaml-compute-instance).
 *
 * @param idleMinutes minutes without kernel or terminal activity before the instance is stopped; 0 means never
 * @param image       the container image its server runs in on a target elsewhere (Kubernetes); the server's host runs
 *                    the Jupyter it has installed
 */
public record InstanceDocument(String description, int idleMinutes, Optional<Script> creationScript, Optional<Script> startupScript,
                               List<StartStop> schedules, Optional<String> image) {
    public InstanceDocument {
        requireNonNull(description, "description is null");
        requireNonNull(creationScript, "creationScript is null");
        requireNonNull(startupScript, "startupScript is null");
        schedules = List.copyOf(schedules);
        requireNonNull(image, "image is null");
    }

    /**
     * What its schedules ask for {@code (since, now]}: of those that fired in it, the latest one's action (a long pause
     * misses none and applies none twice).
     */
    Optional<Action> scheduledAction(long since, long now) {
        long latest = Long.MIN_VALUE;
        Optional<Action> action = Optional.empty();
        for (StartStop schedule : schedules) {
            Optional<Long> fired = schedule.lastFire(since, now);
            if (fired.isPresent() && fired.get() > latest) {
                latest = fired.get();
                action = Optional.of(schedule.action());
            }
        }
        return action;
    }

    /** A setup script: a file of the owner's files folder ({@code path}) or a shell command, run before the server starts. */
    public record Script(Optional<String> path, Optional<String> command) {
        public Script {
            requireNonNull(path, "path is null");
            requireNonNull(command, "command is null");
            if (path.isPresent() == command.isPresent()) {
                throw new IllegalArgumentException("a script has a path or a command");
            }
        }

        /** The shell line that runs it, in the files folder. */
        String shell() {
            return path.map(file -> "sh " + NotebookServer.quote(file)).orElseGet(command::orElseThrow);
        }
    }

    /** One start or stop at the times of a cron expression, in a time zone. */
    public record StartStop(Action action, String expression, String timeZone) {
        public StartStop {
            requireNonNull(action, "action is null");
            requireNonNull(expression, "expression is null");
            requireNonNull(timeZone, "timeZone is null");
        }

        /** When it last fired in {@code (since, now]}, if it did. */
        Optional<Long> lastFire(long since, long now) {
            ExecutionTime times = ExecutionTime.forCron(InstanceDocuments.CRON.parse(expression));
            return times.lastExecution(ZonedDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneId.of(timeZone)))
                    .map(last -> last.toInstant().toEpochMilli())
                    .filter(last -> last > since && last <= now);
        }
    }

    public enum Action { START, STOP }
}
