/**
 * Atelier's own workloads: main programs run by compute in the built-in {@code atelier} environment (the server's Java
 * runtime and these classes, docs/jobs.md "The atelier environment"), sandboxed like any user code.
 * {@code automl} trains and searches models for {@code type: automl} jobs; {@code builtins} are the designer's
 * built-in components. They depend on the scoring runtimes, never on the server.
 */
package dev.atelier.workers;
