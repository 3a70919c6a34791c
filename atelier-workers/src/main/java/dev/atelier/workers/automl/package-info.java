/**
 * AutoML for {@code type: automl} jobs (docs/automl.md): {@link dev.atelier.workers.automl.AutoMlMain} reads the
 * spec the server writes, {@link dev.atelier.workers.automl.AutoMlEngine} featurizes, searches, ensembles and saves
 * the best pipeline (an {@code atelier_automl} model, dev.atelier.server.models.automl) through a
 * {@link dev.atelier.workers.automl.Tracker}. Training lives here; what an endpoint needs to predict lives in
 * atelier-scoring.
 */
package dev.atelier.workers.automl;
