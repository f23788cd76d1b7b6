/**
 * The sealed error hierarchy every layer throws: not found, conflict, invalid argument, unavailable, forbidden, internal.
 * Mapped to HTTP status codes in exactly one place (api.http.ErrorMapper).
 */
package dev.skiff.errors;
