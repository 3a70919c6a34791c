package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Combination;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The final fit's choice against the time left, on a clock the test moves: refits "take" what the test says, so no
 * wall-clock time is asserted. 5-fold cross-validation over 100 rows: a split trains on 80 rows, the refit on 100,
 * so a trial's refit is estimated at its time per split × 100 / 80 × 1.5.
 */
class FinalFitTest {
    private static final long MS = 1_000_000;
    private final AtomicLong clock = new AtomicLong();
    private final List<String> refitted = new ArrayList<>();
    private final FinalFit finalFit = new FinalFit(Splits.of(100, 5, null, null, 1), 100, clock::get, line -> { });

    @Test
    void aTrialIsEstimatedFromItsTimePerSplitScaledToAllRows() {
        assertThat(finalFit.estimateNanos(single(0, 1000))).isEqualTo(375 * MS); // 1000 / 5 × 100 / 80 × 1.5
        assertThat(finalFit.estimateNanos(vote(single(0, 1000), single(1, 2000)))).isEqualTo(1125 * MS);
    }

    @Test
    void theBestTrialIsRefittedWhenItsRefitFitsInTheTimeLeft() {
        Trial vote = vote(single(0, 1000), single(1, 2000));
        FinalFit.Outcome outcome = finalFit.run(List.of(vote, single(0, 1000)), 2000 * MS, 2100 * MS, refit(500));

        assertThat(outcome.trial()).isSameAs(vote);
        assertThat(outcome.skipped()).isEmpty();
        assertThat(outcome.startedNanos()).isZero();
        assertThat(outcome.finishedNanos()).isEqualTo(500 * MS);
        assertThat(outcome.estimatedNanos()).isEqualTo(1125 * MS);
    }

    @Test
    void anEnsembleWhoseRefitWouldPassTheBudgetFallsBackToTheBestSingleModelThatFits() {
        clock.set(1000 * MS);
        Trial slow = single(1, 4000);
        Trial fast = single(2, 400);
        Trial vote = vote(single(0, 1000), slow);
        // 1000 ms left: the vote (1875 ms) and the slow model (1500 ms) do not fit, the fast one (150 ms) does
        FinalFit.Outcome outcome = finalFit.run(List.of(vote, slow, fast), 2000 * MS, 2100 * MS, refit(100));

        assertThat(outcome.trial()).isSameAs(fast);
        assertThat(outcome.skipped()).containsExactly(vote.name(), slow.name());
        assertThat(refitted).containsExactly(fast.name());
        assertThat(outcome.finishedNanos()).isLessThanOrEqualTo(2000 * MS);
    }

    @Test
    void aRefitPassingTheHardStopFallsBackToTheNextTrial() {
        Trial first = single(0, 1000);
        Trial second = single(1, 1000);
        FinalFit.Refit refit = (trial, hardStop) -> {
            refitted.add(trial.name());
            if (trial == first && hardStop != Long.MAX_VALUE) {
                clock.set(hardStop + 1);
                throw new Fitting.DeadlinePassed();
            }
            return null;
        };
        FinalFit.Outcome outcome = finalFit.run(List.of(first, second), 10_000 * MS, 10_500 * MS, refit);

        // past the hard stop nothing fits any more: the quickest single model is refitted with no deadline
        assertThat(outcome.trial()).isSameAs(first);
        assertThat(refitted).containsExactly(first.name(), first.name());
        assertThat(outcome.skipped()).containsExactly(second.name());
    }

    @Test
    void whenNothingFitsTheQuickestSingleModelIsRefitted() {
        clock.set(1990 * MS);
        Trial slow = single(0, 4000);
        Trial quick = single(1, 800);
        FinalFit.Outcome outcome = finalFit.run(List.of(vote(slow, quick), slow, quick), 2000 * MS, 2100 * MS, refit(50));

        assertThat(outcome.trial()).isSameAs(quick);
        assertThat(refitted).containsExactly(quick.name());
        assertThat(outcome.skipped()).hasSize(2).doesNotContain(quick.name());
    }

    private FinalFit.Refit refit(long takesMs) {
        return (trial, hardStop) -> {
            refitted.add(trial.name());
            clock.addAndGet(takesMs * MS);
            return (Combination) null;
        };
    }

    private static Trial single(int index, long durationMs) {
        return new Trial(index, "XGBoostClassifier_" + index, "run" + index, Algorithm.XGBOOST_CLASSIFIER, Map.of(), Trial.COMPLETED,
                0.9, Map.of(), null, List.of(), durationMs, null);
    }

    private static Trial vote(Trial... members) {
        Ensembles.Vote vote = new Ensembles.Vote(List.of(members), java.util.Collections.nCopies(members.length, 1.0 / members.length),
                null, 0.95);
        return new Trial(99, "VotingEnsemble_99", "run99", null, Map.of(), Trial.COMPLETED, 0.95, Map.of(), null, List.of(), 5,
                null, vote);
    }
}
