/**
 * References, digests, the content store, the layer store, image metadata and archives (import, load, save).
 * Entry point: LocalImageService over FileContentStore, OverlayLayerStore and SQLite records. Depends only on sys and errors.
 */
package dev.skiff.image;
