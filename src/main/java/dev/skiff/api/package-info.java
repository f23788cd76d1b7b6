/**
 * The Docker Engine API: HTTP server, routes, wire models, stream framing.
 * Translates HTTP to engine calls; errors map to status codes in one place.
 */
package dev.skiff.api;
