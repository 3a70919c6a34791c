/**
 * Tables between the designer's built-in components: a {@code uri_folder} holding {@code data.csv} with a header row,
 * read and written row by row ({@link TableReader}, {@link TableWriter}) so that a component holds no more of a table
 * than its operation needs. Values are text; an empty field is a missing value; numbers are parsed where an operation
 * needs them ({@link Values}).
 */
package dev.atelier.workers.table;
