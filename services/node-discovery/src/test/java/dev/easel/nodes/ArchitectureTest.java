package dev.easel.nodes;

import dev.easel.testing.ServiceArchitectureTest;

/** node-discovery keeps the rules every service is held to. */
class ArchitectureTest extends ServiceArchitectureTest {}
