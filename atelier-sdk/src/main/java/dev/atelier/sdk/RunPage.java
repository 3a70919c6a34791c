package dev.atelier.sdk;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One page of a run search; {@code nextPageToken} is empty on the last page. */
public record RunPage(List<Run> runs, Optional<String> nextPageToken) {
    public RunPage {
        runs = List.copyOf(requireNonNull(runs, "runs is null"));
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
