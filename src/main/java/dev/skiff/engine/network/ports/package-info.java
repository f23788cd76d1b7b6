/**
 * Published ports: HostConfig.PortBindings and -P resolved to concrete host ports, allocated from the ephemeral
 * range and held for the container's run, and the NetworkSettings.Ports / ps views of them.
 */
package dev.skiff.engine.network.ports;
