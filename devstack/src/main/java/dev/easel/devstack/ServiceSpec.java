package dev.easel.devstack;

/**
 * A service the devstack knows how to run.
 *
 * @param name the module folder under {@code services/}, also the jar's base name
 * @param port its HTTP port
 * @param database its own PostgreSQL database
 * @param context the bounded context it owns
 */
public record ServiceSpec(String name, int port, String database, String context) {}
