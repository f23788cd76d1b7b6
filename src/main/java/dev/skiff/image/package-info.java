/**
 * References, digests, the content store, the layer store, image metadata and archives (import, load, save).
 * Depends only on sys and errors.
 */
package dev.skiff.image;
