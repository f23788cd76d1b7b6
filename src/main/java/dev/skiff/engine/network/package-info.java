/** Container networks: the bridge networks, their addresses and namespaces, DNS and published ports. */
package dev.skiff.engine.network;
