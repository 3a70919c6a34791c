package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A step of a pipeline job as the server reports it (docs/pipelines.md).
 *
 * @param status     Queued, Running, Completed, Reused, Failed, Canceled or Skipped
 * @param jobName    the command job that runs it (none for a Reused or Skipped step)
 * @param reusedFrom the job whose outputs a Reused step took
 * @param outputs    output name to datastore URI
 * @param component  {@code name:version} of the registered component it runs; empty for an inline one
 */
public record JobStep(String name, String status, Optional<String> jobName, Optional<String> runId, Optional<String> reusedFrom,
                      Map<String, String> outputs, List<String> dependsOn, Optional<String> component) {
    public JobStep {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        outputs = Map.copyOf(outputs);
        dependsOn = List.copyOf(dependsOn);
    }

    static JobStep fromJson(JsonNode node) {
        Map<String, String> outputs = new LinkedHashMap<>();
        node.path("outputs").properties().forEach(entry -> outputs.put(entry.getKey(), entry.getValue().asText()));
        List<String> dependsOn = new ArrayList<>();
        node.path("depends_on").forEach(step -> dependsOn.add(step.asText()));
        return new JobStep(JsonFields.text(node, "name"), JsonFields.text(node, "status"), JsonFields.optionalText(node, "job_name"),
                JsonFields.optionalText(node, "run_id"), JsonFields.optionalText(node, "reused_from"), outputs, dependsOn,
                JsonFields.optionalText(node, "component"));
    }
}
