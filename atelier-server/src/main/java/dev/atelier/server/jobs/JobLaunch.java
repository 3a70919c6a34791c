package dev.atelier.server.jobs;

import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.secrets.SecretService;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * What any compute target needs to start a job: the command with its bindings resolved and the
 * environment variables (the job's own, resolved secrets, and the MLflow variables that make a
 * script log into the job's run without configuration). Built when the job starts, never stored.
 */
record JobLaunch(String command, Map<String, String> variables, Optional<Environment> environment, Optional<RunCredentials.Issued> token) {
    JobLaunch {
        requireNonNull(command, "command is null");
        variables = Map.copyOf(variables);
        requireNonNull(environment, "environment is null");
        requireNonNull(token, "token is null");
    }

    /** Names of the variables whose values are secret (never written to logs). */
    static final String TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN";

    /**
     * @param inputPath  where an input named so is found by the process (a folder, or the file of a uri_file input)
     * @param outputPath where the process writes an output named so
     * @param serverUrl  the server's base URL as the process reaches it
     */
    static JobLaunch of(Job job, JobSpec.WithCommand spec, Function<String, String> inputPath, Function<String, String> outputPath, String serverUrl,
                        EnvironmentService environments, SecretService secrets, RunCredentials credentials, long validSeconds) {
        CommandSpec command = spec.command();
        Map<String, String> inputs = new LinkedHashMap<>();
        command.inputs().forEach((name, input) -> inputs.put(name, switch (input) {
            case JobInput.Literal literal -> literal.value();
            case JobInput.Data data -> inputPath.apply(name);
            case JobInput.Stored stored -> inputPath.apply(name);
        }));
        Map<String, String> outputs = new LinkedHashMap<>();
        command.outputs().keySet().forEach(name -> outputs.put(name, outputPath.apply(name)));
        String bound = Bindings.bind(Bindings.bind(command.command(), "inputs", inputs), "outputs", outputs);
        Optional<Environment> environment = command.environment()
                .map(reference -> environments.resolve(job.workspace(), "environment", reference));
        Map<String, String> variables = new LinkedHashMap<>(command.environmentVariables());
        command.secrets().forEach((variable, secret) -> variables.put(variable,
                secrets.resolve(job.workspace(), secret, "job:" + job.name())));
        String workspacePrefix = "default".equals(job.workspace()) ? "" : "/w/" + job.workspace();
        variables.put("MLFLOW_TRACKING_URI", serverUrl + workspacePrefix);
        variables.put("MLFLOW_RUN_ID", job.runId());
        variables.put("MLFLOW_EXPERIMENT_ID", job.experimentId());
        variables.put("ATELIER_URL", serverUrl);
        variables.put("ATELIER_WORKSPACE", job.workspace());
        variables.put("ATELIER_JOB_NAME", job.name());
        environment.ifPresent(env -> variables.put("ATELIER_ENVIRONMENT", env.reference()));
        Optional<RunCredentials.Issued> token = credentials.issue(job.workspace(), job.createdBy(), job.name(), validSeconds);
        token.ifPresent(issued -> variables.put(TOKEN_VARIABLE, issued.secret()));
        return new JobLaunch(bound, variables, environment, token);
    }
}
