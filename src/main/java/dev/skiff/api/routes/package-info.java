/**
 * Docker Engine API endpoints, one class per resource (containers, images, system, exec).
 * Each route parses the request, calls the engine or image service, writes Docker's JSON.
 */
package dev.skiff.api.routes;
