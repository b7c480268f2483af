package dev.easel.gateway;

import dev.easel.testing.ServiceArchitectureTest;

/** gateway keeps the rules every service is held to. */
class ArchitectureTest extends ServiceArchitectureTest {}
