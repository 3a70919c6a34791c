package dev.atelier.server.tracking;

import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.WireReplay;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the parts of the second recording of MLflow 2.22.1's client and server
 * (src/test/resources/mlflow-wire/genai-exchanges.jsonl) that are not tracing: the prompt registry,
 * registered-model searches and dataset inputs, each section in order, with {@link RecordedMlflow}.
 */
class MlflowGenaiWireReplayTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static WireReplay replay;

    /** The recording's first experiment, which the dataset section's runs go to, is experiment 1. */
    @BeforeAll
    static void createTheRecordingsExperiment() {
        replay = RecordedMlflow.replay(server);
        assertThat(server.http().post("/api/2.0/mlflow/experiments/create", Map.of("name", "genai-replay"))
                .json().get("experiment_id").asText()).isEqualTo("1");
    }

    /**
     * Seq 23-38: register_prompt twice (versions whose source is the placeholder {@code dummy-source}, tagged
     * {@code mlflow.prompt.is_prompt}), load_prompt by version and alias, set and delete an alias, and the 400 for
     * the deleted alias.
     */
    @Test
    void promptRegistry() {
        assertReplayed(23, 38);
    }

    /**
     * Seq 39-46: MLflow 2.22's client appends {@code AND tag.`mlflow.prompt.is_prompt` != 'true'} to every
     * search_registered_models filter and finds the models lacking the tag; paging, tag and name filters.
     */
    @Test
    void registeredModelSearches() {
        assertReplayed(39, 46);
    }

    /** Seq 47-51: log_input of a pandas dataset and the dataset read back in runs/get. */
    @Test
    void datasetInputs() {
        assertReplayed(47, 51);
    }

    private static void assertReplayed(int first, int last) {
        List<String> mismatches = new ArrayList<>();
        int replayed = replay.replayAll("/mlflow-wire/genai-exchanges.jsonl", seq -> seq >= first && seq <= last, mismatches);
        assertThat(replayed).isEqualTo(last - first + 1);
        assertThat(mismatches).isEmpty();
    }
}
