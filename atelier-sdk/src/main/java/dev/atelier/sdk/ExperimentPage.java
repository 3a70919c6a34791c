package dev.atelier.sdk;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One page of an experiment search; {@code nextPageToken} is empty on the last page. */
public record ExperimentPage(List<Experiment> experiments, Optional<String> nextPageToken) {
    public ExperimentPage {
        experiments = List.copyOf(requireNonNull(experiments, "experiments is null"));
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
