package dev.atelier.server.models.automl;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One fitted learner of a pipeline with the scaling its features get first (linear models and k-nearest neighbours).
 * Thread-safe as its learner is.
 *
 * @param algorithm Azure's name of the algorithm, such as {@code XGBoostClassifier}
 */
public record Member(String algorithm, Optional<Scaler> scaler, Learner learner) {
    public Member {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(scaler, "scaler is null");
        requireNonNull(learner, "learner is null");
    }

    /** Probabilities {@code [rows][classes]} or numbers {@code [rows][1]}. */
    public double[][] predict(double[][] features) {
        return learner.predict(scaler.map(s -> s.apply(features)).orElse(features));
    }
}
