/**
 * Registry credentials in the docker client's config format (config.json "auths", credential helpers),
 * shared by the skiff CLI (login, logout, X-Registry-Auth) and the daemon's own lookup.
 */
package dev.skiff.sys.auth;
