/** Published ports: port specs resolved to host ports, their allocation, and how inspect shows them. */
package dev.skiff.engine.network.ports;
