package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;


/** {@code atelier compute start|stop|restart NAME}: the lifecycle of compute instances (docs/notebooks.md). */
final class ComputeInstanceCommands {
    private ComputeInstanceCommands() {
    }

    static void print(AtelierClient client, JsonNode instance, Output out) {
        out.print(instance, Table.details()
                .row("Name:", instance.path("name").asText())
                .row("Type:", "computeinstance")
                .row("State:", instance.path("state").asText() + (instance.has("state_message")
                        ? " (" + instance.path("state_message").asText() + ")" : ""))
                .row("Owner:", instance.path("create_on_behalf_of").asText())
                .row("Compute:", instance.path("compute").asText())
                .row("URL:", client.baseUrl() + instance.path("url").asText())
                .row("Idle shutdown:", instance.path("idle_time_before_shutdown_minutes").asInt() == 0 ? "never"
                        : instance.path("idle_time_before_shutdown_minutes").asText() + " min" + (instance.has("idle_minutes_left")
                        ? " (" + instance.path("idle_minutes_left").asText() + " min left)" : ""))
                .row("Description:", instance.path("description").asText()));
    }

    @Command(name = "start", description = "Start a stopped compute instance.")
    static final class StartCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            print(client, client.computeInstances().start(name), out);
        }
    }

    @Command(name = "stop", description = "Stop a compute instance (its files stay).")
    static final class StopCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            print(client, client.computeInstances().stop(name), out);
        }
    }

    @Command(name = "restart", description = "Stop and start a compute instance.")
    static final class RestartCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            print(client, client.computeInstances().restart(name), out);
        }
    }
}
