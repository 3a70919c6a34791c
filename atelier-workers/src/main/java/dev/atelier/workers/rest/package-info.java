/**
 * The workloads' client of the server ({@link dev.atelier.workers.rest.ServerClient}): MLflow tracking, artifact
 * uploads through the artifact proxy and the native API, over java.net.http with the workload's token. Shared by
 * every workload of atelier-workers; add methods, do not fork it.
 */
package dev.atelier.workers.rest;
