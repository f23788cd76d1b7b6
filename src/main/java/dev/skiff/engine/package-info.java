/**
 * Containers, their state in SQLite, restart policies, health, events, logs, stats, exec.
 * Depends on image and runtime; the API layer above calls it.
 */
package dev.skiff.engine;
