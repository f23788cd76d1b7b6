/**
 * The registry client: pulls images from and pushes them to OCI Distribution registries (token and basic auth,
 * TLS with per-registry CAs, mirrors), one small class per endpoint and per step. Stores through image.
 */
package dev.skiff.registry.client;
