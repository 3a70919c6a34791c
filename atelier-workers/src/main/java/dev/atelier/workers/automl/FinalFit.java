package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Combination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Chooses what the final fit refits on all training rows so that it ends by the job's budget: the best trial when its
 * estimated refit time fits in the time left, else the next best that fits (a vote or stack ensemble falls back to a
 * single model this way), else the completed trial of one learner with the smallest estimate. A trial's estimate is
 * its measured time per split scaled by all training rows over a split's training rows, times {@link #SAFETY}; an
 * ensemble's is the sum of its members' (they are refitted one after another). A refit that still passes the hard
 * stop ({@link Fitting.DeadlinePassed}) falls back the same way. Not thread-safe; used once.
 */
final class FinalFit {
    /** Margin over the measured time: a refit runs alone, but on a loaded machine a trial's time varies. */
    static final double SAFETY = 1.5;

    /** Refits a trial (each member of an ensemble), giving up past {@code hardStop} ({@link System#nanoTime()}). */
    interface Refit {
        Combination apply(Trial trial, long hardStop);
    }

    /** The chosen trial, its refitted combination, when the refit started and ended and what it was estimated to take. */
    record Outcome(Trial trial, Combination combination, long startedNanos, long finishedNanos, long estimatedNanos,
                   List<String> skipped) {
    }

    private final int trainingRows;
    private final double meanSplitTrainingRows;
    private final int splits;
    private final LongSupplier clock;
    private final Consumer<String> log;

    FinalFit(Splits splits, int trainingRows, LongSupplier clock, Consumer<String> log) {
        this.splits = splits.splits().size();
        this.meanSplitTrainingRows = splits.splits().stream().mapToInt(s -> s.train().length).average().orElse(trainingRows);
        this.trainingRows = trainingRows;
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The estimated refit time of a trial (the sum of its members' for an ensemble), in nanoseconds. */
    long estimateNanos(Trial trial) {
        if (trial.ensemble() != null) {
            return trial.ensemble().members().stream().mapToLong(this::estimateNanos).sum();
        }
        double perSplit = trial.durationMs() * 1e6 / Math.max(1, splits);
        return (long) (perSplit * trainingRows / Math.max(1, meanSplitTrainingRows) * SAFETY);
    }

    /**
     * @param ranked   completed trials, best first (not empty)
     * @param deadline when the refit should have ended ({@link System#nanoTime()} terms)
     * @param hardStop past which a refit gives up (after {@code deadline})
     */
    Outcome run(List<Trial> ranked, long deadline, long hardStop, Refit refit) {
        if (ranked.isEmpty()) {
            throw new IllegalArgumentException("no completed trial to refit");
        }
        List<String> skipped = new ArrayList<>();
        for (Trial trial : ranked) {
            long estimate = estimateNanos(trial);
            long started = clock.getAsLong();
            if (started + estimate > deadline) {
                skipped.add(trial.name());
                log.accept(String.format("final fit: %s skipped, its refit (about %d ms) would end %d ms past the budget",
                        trial.name(), estimate / 1_000_000, (started + estimate - deadline) / 1_000_000));
                continue;
            }
            try {
                Combination combination = refit.apply(trial, hardStop);
                return new Outcome(trial, combination, started, clock.getAsLong(), estimate, skipped);
            } catch (Fitting.DeadlinePassed e) {
                skipped.add(trial.name());
                log.accept("final fit: " + trial.name() + " passed the budget while refitting");
            }
        }
        Trial cheapest = ranked.stream().filter(t -> t.ensemble() == null)
                .min(Comparator.comparingLong(this::estimateNanos)).orElse(ranked.get(0));
        log.accept("final fit: no refit fits in the time left; refitting the quickest single model, " + cheapest.name());
        skipped.remove(cheapest.name());
        long started = clock.getAsLong();
        Combination combination = refit.apply(cheapest, Long.MAX_VALUE);
        return new Outcome(cheapest, combination, started, clock.getAsLong(), estimateNanos(cheapest), skipped);
    }
}
