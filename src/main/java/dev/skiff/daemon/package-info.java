/**
 * skiffd: flags, configuration, wiring of stores, engine and API, start-up reconciliation.
 * The only place that knows every layer.
 */
package dev.skiff.daemon;
