/**
 * A fitted AutoML pipeline and its files: featurizer ({@link dev.atelier.server.models.automl.ColumnTransform}s), learners
 * (XGBoost, Tribuo, k-nearest neighbours), how they combine (one, a vote or a stack), and
 * {@link dev.atelier.server.models.automl.AutoMlModelFolder}, its {@code pipeline.json}. Served by
 * {@code dev.atelier.server.models.AutoMlModelRuntime} (flavor {@code atelier_automl}); imports nothing of
 * {@code dev.atelier.server.models}, so the two packages form no cycle.
 */
package dev.atelier.server.models.automl;
