/**
 * The OCI distribution registry: client and the built-in server (see the registry issue).
 * Depends on image.
 */
package dev.skiff.registry;
