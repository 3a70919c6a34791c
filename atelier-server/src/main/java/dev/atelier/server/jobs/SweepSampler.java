package dev.atelier.server.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The values of trial {@code index} of a sweep. Deterministic: grid sampling walks the cartesian
 * product of the choices (last dimension fastest); random sampling draws from a generator seeded
 * by the sweep's seed and the index, so a sweep resumed by another server samples the same trials.
 */
final class SweepSampler {
    private SweepSampler() {
    }

    /** How many trials the sweep runs: the grid's size or {@code max_total_trials}, whichever is smaller. */
    static int trialCount(SweepSpec sweep) {
        if (!sweep.grid()) {
            return sweep.maxTotalTrials();
        }
        long size = 1;
        for (Distribution distribution : sweep.searchSpace().values()) {
            size *= ((Distribution.Choice) distribution).values().size();
            if (size >= sweep.maxTotalTrials()) {
                return sweep.maxTotalTrials();
            }
        }
        return (int) size;
    }

    static Optional<Map<String, String>> sample(SweepSpec sweep, int index) {
        if (index >= trialCount(sweep)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (sweep.grid()) {
            List<String> names = new ArrayList<>(sweep.searchSpace().keySet());
            int rest = index;
            List<String> picked = new ArrayList<>();
            for (int i = names.size() - 1; i >= 0; i--) {
                List<String> choices = ((Distribution.Choice) sweep.searchSpace().get(names.get(i))).values();
                picked.addFirst(choices.get(rest % choices.size()));
                rest /= choices.size();
            }
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), picked.get(i));
            }
            return Optional.of(values);
        }
        Random random = new Random(sweep.seed().orElseThrow() * 31 + index);
        sweep.searchSpace().forEach((name, distribution) -> values.put(name, distribution.sample(random)));
        return Optional.of(values);
    }
}
